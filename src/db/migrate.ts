import { createHash } from "node:crypto";
import type { Client } from "@libsql/client";
import { MIGRATIONS } from "./migrations.gen";

/** The database was migrated by a newer Lastclick: this binary must not write to it. */
export class DatabaseTooNew extends Error {
  constructor(readonly databaseWhen: number, readonly binaryTag: string) {
    super(`The database has a migration this binary does not know (created ${new Date(databaseWhen).toISOString()}; this binary knows up to ${binaryTag}): it was upgraded by a newer Lastclick. Run that version, or restore a backup taken before the upgrade.`);
  }
}

/**
 * Applies the embedded migrations with drizzle's own algorithm (same table,
 * same sha256 of the file text, same `when` ordering), so a database migrated
 * by `drizzle-kit migrate` and one migrated here are interchangeable.
 */
export async function migrate(client: Client): Promise<{ applied: string[] }> {
  try {
    return await migrateOnce(client);
  } catch (e) {
    if (e instanceof DatabaseTooNew) throw e;
    // Two instances starting together: the other one may have just applied
    // the same migrations (ours then fails on "already exists"). Look again.
    const again = await migrateOnce(client).catch(() => null);
    if (again) return again;
    throw e;
  }
}

async function migrateOnce(client: Client): Promise<{ applied: string[] }> {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
  );
  const last = await client.execute(`SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1`);
  const lastWhen = last.rows[0] ? Number(last.rows[0][0]) : -1;
  const known = MIGRATIONS[MIGRATIONS.length - 1]!;
  if (lastWhen > known.when) throw new DatabaseTooNew(lastWhen, known.tag);
  const pending = MIGRATIONS.filter((m) => m.when > lastWhen);
  if (pending.length === 0) return { applied: [] };
  const stmts: { sql: string; args: (string | number)[] }[] = [];
  for (const m of pending) {
    for (const part of m.sql.split("--> statement-breakpoint")) {
      if (part.trim()) stmts.push({ sql: part, args: [] });
    }
    const hash = createHash("sha256").update(m.sql).digest("hex");
    stmts.push({ sql: `INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)`, args: [hash, m.when] });
  }
  await client.batch(stmts, "write");
  return { applied: pending.map((m) => m.tag) };
}
