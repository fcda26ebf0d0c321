import { and, eq, sql } from "drizzle-orm";
import type { AppContext } from "../context";
import { deliveryAttempts, outbox, publisherPostbacks } from "../db/schema";
import { uuidv7 } from "../shared/ids";
import type { OutboxRow } from "./claim";
import { nextAttemptAt, PAUSE_AFTER_FAILURES } from "./policy";
import type { SendResult } from "./send";

export type AttemptOutcome = "sent" | "retry" | "dead";
export interface Recorded {
  outcome: AttemptOutcome;
  /** False when our lease had run out and another dispatcher owns the row now. */
  owned: boolean;
  /** The endpoint was paused by this failure (or is paused). */
  endpointPaused: boolean;
}

/**
 * Writes the outcome of one try in one transaction: the attempt log row, the
 * delivery's new state (sent / retry at backoff / dead), and the endpoint's
 * consecutive-failure count, which pauses it when it reaches the threshold.
 * The delivery update is conditional on still holding the claim.
 */
export async function recordAttempt(ctx: AppContext, row: OutboxRow, result: SendResult): Promise<Recorded> {
  const at = ctx.clock.now();
  const tries = row.attempts + 1;
  const next = result.ok ? null : nextAttemptAt(at, tries);
  const outcome: AttemptOutcome = result.ok ? "sent" : next === null ? "dead" : "retry";
  const stillOurs = and(eq(outbox.id, row.id), eq(outbox.status, "pending"), eq(outbox.attempts, row.attempts));
  const delivery = result.ok
    ? { status: "sent" as const, attempts: tries, sentAt: at, lastError: null }
    : { status: outcome === "dead" ? "dead" as const : "pending" as const, attempts: tries, nextAttemptAt: next ?? at, lastError: result.error };
  const pauseReason = `paused after ${PAUSE_AFTER_FAILURES} consecutive failed deliveries; last: ${result.error ?? "?"}`.slice(0, 500);
  const endpoint = result.ok
    ? ctx.db.update(publisherPostbacks).set({ consecutiveFailures: 0 }).where(eq(publisherPostbacks.id, row.endpointId)).returning({ status: publisherPostbacks.status })
    : ctx.db.update(publisherPostbacks).set({
      consecutiveFailures: sql`${publisherPostbacks.consecutiveFailures} + 1`,
      // SQLite evaluates every SET expression against the row as it was.
      status: sql`CASE WHEN ${publisherPostbacks.status} = 'active' AND ${publisherPostbacks.consecutiveFailures} + 1 >= ${PAUSE_AFTER_FAILURES} THEN 'paused' ELSE ${publisherPostbacks.status} END`,
      pausedReason: sql`CASE WHEN ${publisherPostbacks.status} = 'active' AND ${publisherPostbacks.consecutiveFailures} + 1 >= ${PAUSE_AFTER_FAILURES} THEN ${pauseReason} ELSE ${publisherPostbacks.pausedReason} END`,
      updatedAt: sql`CASE WHEN ${publisherPostbacks.status} = 'active' AND ${publisherPostbacks.consecutiveFailures} + 1 >= ${PAUSE_AFTER_FAILURES} THEN ${at} ELSE ${publisherPostbacks.updatedAt} END`,
    }).where(eq(publisherPostbacks.id, row.endpointId)).returning({ status: publisherPostbacks.status });
  const [updated, , ep] = await ctx.db.batch([
    ctx.db.update(outbox).set(delivery).where(stillOurs).returning({ id: outbox.id }),
    ctx.db.insert(deliveryAttempts).values({
      id: uuidv7(at), outboxId: row.id, at, url: result.url.slice(0, 2048),
      statusCode: result.statusCode, error: result.error, durationMs: result.durationMs,
    }),
    endpoint,
  ]);
  return { outcome, owned: updated.length > 0, endpointPaused: ep[0]?.status === "paused" };
}
