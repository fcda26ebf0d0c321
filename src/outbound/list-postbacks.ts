import { and, desc, eq, lt, sql } from "drizzle-orm";
import { getPublisherRow } from "../network/publishers";
import type { AppContext } from "../context";
import { deliveryAttempts, outbox, publisherPostbacks } from "../db/schema";
import type { z } from "zod";
import type { listAttemptsQuery } from "./bodies";
import { getEndpointRow } from "./get-endpoint";
import { serializeAttempt, serializeEndpoint, type AttemptRow, type DeliveryCounts } from "./serialize";

const RECENT = 5;

/** A publisher's endpoints with status, failure count, delivery counts and the last few attempts. */
export async function listPostbacks(ctx: AppContext, publisherId: string) {
  await getPublisherRow(ctx, publisherId);
  const rows = await ctx.db.select().from(publisherPostbacks)
    .where(eq(publisherPostbacks.publisherId, publisherId)).orderBy(publisherPostbacks.createdAt);
  return Promise.all(rows.map(async (e) => serializeEndpoint(e, {
    deliveries: await deliveryCounts(ctx, e.id),
    recentAttempts: await attempts(ctx, e.id, RECENT),
  })));
}

/** One endpoint's attempts, newest first, cursor paged (cursor = last attempt id seen). */
export async function listAttempts(ctx: AppContext, publisherId: string, endpointId: string, q: z.infer<typeof listAttemptsQuery>) {
  await getEndpointRow(ctx, publisherId, endpointId);
  const rows = await attempts(ctx, endpointId, q.limit + 1, q.cursor);
  const page = rows.slice(0, q.limit);
  return { data: page.map(serializeAttempt), next_cursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

/** Attempt ids are UUIDv7 from the attempt time, so id order is time order. */
function attempts(ctx: AppContext, endpointId: string, limit: number, before?: string): Promise<AttemptRow[]> {
  return ctx.db.select({
    id: deliveryAttempts.id, outboxId: deliveryAttempts.outboxId, at: deliveryAttempts.at, url: deliveryAttempts.url,
    statusCode: deliveryAttempts.statusCode, error: deliveryAttempts.error, durationMs: deliveryAttempts.durationMs,
    event: outbox.event, conversionId: outbox.conversionId,
  }).from(deliveryAttempts).innerJoin(outbox, eq(outbox.id, deliveryAttempts.outboxId))
    .where(and(eq(outbox.endpointId, endpointId), before ? lt(deliveryAttempts.id, before) : undefined))
    .orderBy(desc(deliveryAttempts.id)).limit(limit);
}

async function deliveryCounts(ctx: AppContext, endpointId: string): Promise<DeliveryCounts> {
  const rows = await ctx.db.select({ status: outbox.status, n: sql<number>`count(*)` })
    .from(outbox).where(eq(outbox.endpointId, endpointId)).groupBy(outbox.status);
  const counts: DeliveryCounts = { pending: 0, sent: 0, dead: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}
