import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, outbox, publisherPostbacks } from "../db/schema";
import { auditValues } from "../audit/audit";
import { Validation } from "../shared/errors";
import { SECRET_NEEDS_POST, type updatePostbackBody } from "./bodies";
import { getEndpointRow } from "./get-endpoint";
import { serializeEndpoint, type EndpointRow } from "./serialize";

/**
 * Changes an endpoint. Resuming a paused one resets its failure count and
 * makes its held deliveries due now; pausing holds them (and queues nothing
 * new) until resumed. A new URL applies to pending retries too.
 */
export async function updatePostback(ctx: AppContext, actor: Actor, publisherId: string, endpointId: string, b: z.infer<typeof updatePostbackBody>) {
  const before = await getEndpointRow(ctx, publisherId, endpointId);
  const now = ctx.clock.now();
  const method = b.method ?? before.method;
  const sealed = b.signing_secret === undefined ? before.signingSecretSealed
    : b.signing_secret === null ? null : ctx.secrets.seal(b.signing_secret);
  if (sealed !== null && method !== "POST") throw new Validation({ [b.signing_secret ? "signing_secret" : "method"]: [SECRET_NEEDS_POST] });
  const resumed = b.status === "active" && before.status === "paused";
  const paused = b.status === "paused" && before.status === "active";
  const after: EndpointRow = {
    ...before, method, signingSecretSealed: sealed, updatedAt: now,
    ...(b.url !== undefined && { url: b.url }),
    ...(b.events !== undefined && { events: JSON.stringify(b.events) }),
    ...(resumed && { status: "active", consecutiveFailures: 0, pausedReason: null }),
    ...(paused && { status: "paused", pausedReason: actor.type === "publisher" ? "paused by the publisher" : "paused by an admin" }),
  };
  await ctx.db.batch([
    ctx.db.update(publisherPostbacks).set(after).where(eq(publisherPostbacks.id, endpointId)),
    ctx.db.insert(auditLog).values(auditValues({
      actor, at: now, action: "publisher_postback.updated", entityType: "publisher_postback", entityId: endpointId,
      fromStatus: before.status, toStatus: after.status,
      data: { fields: Object.keys(b), ...(resumed && { consecutive_failures_before: before.consecutiveFailures }) },
    })),
    // Held deliveries go out on the next run instead of waiting out a long backoff.
    ...(resumed ? [ctx.db.update(outbox).set({ nextAttemptAt: now }).where(and(eq(outbox.endpointId, endpointId), eq(outbox.status, "pending")))] : []),
  ]);
  return serializeEndpoint(after);
}
