import { existsSync, statSync } from "node:fs";
import { createClient } from "@libsql/client";
import { MIGRATIONS } from "../db/migrations.gen";

/** An operator-facing failure of backup / restore: printed as one line, exit code 2. */
export class OpsError extends Error {}

export interface FileSummary {
  path: string;
  bytes: number;
  tables: { name: string; rows: number }[];
  rows: number;
  /** Tag of the last applied migration (or its created_at if this binary does not know it). */
  migration: string;
  /** True when the file holds a migration newer than this binary's last one. */
  newerThanBinary: boolean;
}

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Checks a database file the way a restore will need it: SQLite's own
 * integrity check passes and drizzle's migrations table has rows. Returns
 * what it holds (tables, rows, bytes) for the summary.
 */
export async function verifyDatabaseFile(path: string): Promise<FileSummary> {
  if (!existsSync(path)) throw new OpsError(`No file at ${path}`);
  const client = createClient({ url: `file:${path}` });
  try {
    const integrity = await client.execute("PRAGMA integrity_check").catch((e) => { throw new OpsError(`${path} is not a readable database: ${(e as Error).message}`); });
    const verdict = integrity.rows.map((r) => String(r[0])).join("; ");
    if (verdict !== "ok") throw new OpsError(`${path} failed the integrity check: ${verdict.slice(0, 300)}`);
    const tables = await client.execute(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`);
    const names = tables.rows.map((r) => String(r[0]));
    if (!names.includes("__drizzle_migrations")) throw new OpsError(`${path} is not a Lastclick database (no migrations table)`);
    const last = await client.execute(`SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1`);
    if (!last.rows[0]) throw new OpsError(`${path} has an empty migrations table`);
    const when = Number(last.rows[0][0]);
    const counted: { name: string; rows: number }[] = [];
    for (const name of names) {
      const rs = await client.execute(`SELECT count(*) FROM ${quoteId(name)}`);
      counted.push({ name, rows: Number(rs.rows[0]![0]) });
    }
    return {
      path, bytes: statSync(path).size, tables: counted, rows: counted.reduce((a, t) => a + t.rows, 0),
      migration: MIGRATIONS.find((m) => m.when === when)?.tag ?? `created_at ${when}`,
      newerThanBinary: when > MIGRATIONS[MIGRATIONS.length - 1]!.when,
    };
  } finally {
    client.close();
  }
}

export function formatSummary(s: FileSummary): string {
  const kb = s.bytes >= 1024 * 1024 ? `${(s.bytes / 1024 / 1024).toFixed(1)} MB` : `${(s.bytes / 1024).toFixed(1)} KB`;
  const busiest = [...s.tables].sort((a, b) => b.rows - a.rows).filter((t) => t.rows > 0).slice(0, 6).map((t) => `${t.name} ${t.rows}`).join(", ");
  return `${s.tables.length} tables, ${s.rows} rows, ${s.bytes} bytes (${kb}); migration ${s.migration}; integrity ok${busiest ? `\n  rows: ${busiest}` : ""}`;
}

export const SECRETS_REMINDER =
  "secrets.key (or the SECRETS_KEY value) is NOT in the backup: keep it beside the backup and put it beside the restored\n" +
  "database (or set SECRETS_KEY); without it, sealed platform HMAC keys and publisher signing keys cannot be read.";

/** The path of an embedded-database URL (`file:./x.db?mode=...` -> `./x.db`), or null for a server URL. */
export function filePathOf(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith("file:")) return null;
  const path = databaseUrl.slice("file:".length).split("?")[0]!;
  return path && path !== ":memory:" ? path : null;
}
