import type { Client } from "@libsql/client";
import { MIGRATIONS } from "../db/migrations.gen";

export type Readiness = { ok: true; migration: string } | { ok: false; reason: string };

/** The binary's last embedded migration: the database must be exactly there to serve. */
export const LATEST_MIGRATION = MIGRATIONS[MIGRATIONS.length - 1]!;

function tagOf(when: number): string {
  return MIGRATIONS.find((m) => m.when === when)?.tag ?? `unknown migration (created_at ${when})`;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([p, new Promise<never>((_, fail) => { timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms); })])
    .finally(() => clearTimeout(timer));
}

/**
 * Ready = the database answers a cheap query (the last applied migration, one
 * index read) and that migration is the binary's last embedded one.
 */
export async function checkReady(client: Client, timeoutMs = 2000): Promise<Readiness> {
  let lastWhen: number | null;
  try {
    const rs = await withTimeout(client.execute(`SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1`), timeoutMs);
    lastWhen = rs.rows[0] ? Number(rs.rows[0][0]) : null;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, reason: `database unreachable: ${msg.replace(/\s*\n\s*/g, " ").slice(0, 300)}` };
  }
  if (lastWhen === null) return { ok: false, reason: `migrations not applied: the database has none, this binary expects ${LATEST_MIGRATION.tag}` };
  if (lastWhen < LATEST_MIGRATION.when) return { ok: false, reason: `migrations not applied: the database is at ${tagOf(lastWhen)}, this binary expects ${LATEST_MIGRATION.tag}` };
  if (lastWhen > LATEST_MIGRATION.when) return { ok: false, reason: `the database has a migration newer than this binary (${tagOf(lastWhen)}; this binary knows up to ${LATEST_MIGRATION.tag})` };
  return { ok: true, migration: LATEST_MIGRATION.tag };
}
