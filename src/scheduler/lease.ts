import { hostname } from "node:os";
import type { Client } from "@libsql/client";
import { randomToken } from "../shared/ids";

/** This process's name on a lease row. */
export const newHolderId = () => `${hostname()}:${process.pid}:${randomToken(6)}`;

/**
 * Takes (or renews) the lease on `job` with one conditional upsert: it wins
 * only when no row exists, the row has expired, or this holder already has
 * it. Of several instances sharing one database, one runs the job at a time.
 */
export async function takeLease(client: Client, job: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
  const r = await client.execute({
    sql: `INSERT INTO job_leases (job, holder, expires_at) VALUES (?, ?, ?)
          ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
          WHERE job_leases.expires_at <= ? OR job_leases.holder = excluded.holder`,
    args: [job, holder, now + ttlMs, now],
  });
  return r.rowsAffected === 1;
}

/** Gives the lease up early (after a run), only if still ours. */
export async function releaseLease(client: Client, job: string, holder: string): Promise<void> {
  await client.execute({ sql: `UPDATE job_leases SET expires_at = 0 WHERE job = ? AND holder = ?`, args: [job, holder] });
}
