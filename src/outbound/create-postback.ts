import type { z } from "zod";
import { getPublisherRow } from "../network/publishers";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, publisherPostbacks } from "../db/schema";
import { auditValues } from "../audit/audit";
import { uuidv7 } from "../shared/ids";
import type { createPostbackBody } from "./bodies";
import { serializeEndpoint, type EndpointRow } from "./serialize";

/** Registers a publisher's postback URL; it receives events from the next conversion change on. */
export async function createPostback(ctx: AppContext, actor: Actor, publisherId: string, b: z.infer<typeof createPostbackBody>) {
  await getPublisherRow(ctx, publisherId);
  const now = ctx.clock.now();
  const row: EndpointRow = {
    id: uuidv7(now), publisherId, url: b.url, method: b.method, events: JSON.stringify(b.events),
    signingSecretSealed: b.signing_secret ? ctx.secrets.seal(b.signing_secret) : null,
    status: "active", consecutiveFailures: 0, pausedReason: null, createdAt: now, updatedAt: now,
  };
  await ctx.db.batch([
    ctx.db.insert(publisherPostbacks).values(row),
    ctx.db.insert(auditLog).values(auditValues({
      actor, at: now, action: "publisher_postback.created", entityType: "publisher_postback", entityId: row.id, toStatus: "active",
      data: { publisher_id: publisherId, method: row.method, events: b.events, signed: row.signingSecretSealed !== null },
    })),
  ]);
  return serializeEndpoint(row);
}
