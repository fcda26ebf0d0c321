import { and, eq, lte, sql } from "drizzle-orm";
import type { AppContext } from "../context";
import { outbox } from "../db/schema";
import { LEASE_MS, PER_ENDPOINT_CLAIM } from "./policy";

export type OutboxRow = typeof outbox.$inferSelect;

/**
 * Claims due deliveries of active endpoints with one conditional UPDATE:
 * moving next_attempt_at past now (the lease) makes them invisible to any
 * other dispatcher, in this process or another instance, until this one
 * records the outcome or the lease runs out. At most PER_ENDPOINT_CLAIM per
 * endpoint, oldest first, so one busy endpoint cannot starve the others.
 * The returned rows carry the lease; `attempts` is as before this try.
 */
export async function claimDue(ctx: AppContext, now: number, limit: number): Promise<OutboxRow[]> {
  const due = sql`SELECT id FROM (
      SELECT o.id, o.next_attempt_at AS due_at,
        row_number() OVER (PARTITION BY o.endpoint_id ORDER BY o.next_attempt_at, o.id) AS nth
      FROM outbox o JOIN publisher_postbacks p ON p.id = o.endpoint_id
      WHERE o.status = 'pending' AND o.next_attempt_at <= ${now} AND p.status = 'active'
    ) WHERE nth <= ${PER_ENDPOINT_CLAIM} ORDER BY due_at LIMIT ${limit}`;
  return ctx.db.update(outbox).set({ nextAttemptAt: now + LEASE_MS })
    .where(and(sql`${outbox.id} IN (${due})`, eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now)))
    .returning();
}
