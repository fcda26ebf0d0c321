import { and, eq } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, outbox, publisherPostbacks } from "../db/schema";
import { auditValues } from "../audit/audit";
import { getEndpointRow } from "./get-endpoint";

/** Removes an endpoint; its undelivered rows become dead (kept, with their attempts, for the record). */
export async function deletePostback(ctx: AppContext, actor: Actor, publisherId: string, endpointId: string) {
  const before = await getEndpointRow(ctx, publisherId, endpointId);
  const now = ctx.clock.now();
  await ctx.db.batch([
    ctx.db.delete(publisherPostbacks).where(eq(publisherPostbacks.id, endpointId)),
    ctx.db.update(outbox).set({ status: "dead", lastError: "endpoint deleted" })
      .where(and(eq(outbox.endpointId, endpointId), eq(outbox.status, "pending"))),
    ctx.db.insert(auditLog).values(auditValues({
      actor, at: now, action: "publisher_postback.deleted", entityType: "publisher_postback", entityId: endpointId,
      fromStatus: before.status, data: { publisher_id: publisherId, url: before.url },
    })),
  ]);
  return { id: endpointId, deleted: true };
}
