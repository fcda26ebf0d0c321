import type { deliveryAttempts, publisherPostbacks } from "../db/schema";
import { iso } from "../shared/time";
import type { OutboundEvent } from "./events";

export type EndpointRow = typeof publisherPostbacks.$inferSelect;
export type AttemptRow = typeof deliveryAttempts.$inferSelect & { event: string; conversionId: string };
export interface DeliveryCounts { pending: number; sent: number; dead: number }

/** An endpoint as the API shows it; the signing secret never leaves sealed. */
export function serializeEndpoint(e: EndpointRow, extra: { deliveries?: DeliveryCounts; recentAttempts?: AttemptRow[] } = {}) {
  return {
    id: e.id,
    publisher_id: e.publisherId,
    url: e.url,
    method: e.method,
    events: JSON.parse(e.events) as OutboundEvent[],
    signed: e.signingSecretSealed !== null,
    status: e.status,
    consecutive_failures: e.consecutiveFailures,
    paused_reason: e.pausedReason,
    created_at: iso(e.createdAt),
    updated_at: iso(e.updatedAt),
    ...(extra.deliveries && { deliveries: extra.deliveries }),
    ...(extra.recentAttempts && { recent_attempts: extra.recentAttempts.map(serializeAttempt) }),
  };
}

export function serializeAttempt(a: AttemptRow) {
  return {
    id: a.id,
    delivery_id: a.outboxId,
    conversion_id: a.conversionId,
    event: a.event,
    at: iso(a.at),
    url: a.url,
    ok: a.error === null && a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300,
    status_code: a.statusCode,
    error: a.error,
    duration_ms: a.durationMs,
  };
}
