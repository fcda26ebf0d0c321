import { and, asc, desc, eq, gt, gte, lt } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "../context";
import { auditLog } from "../db/schema";
import { iso } from "../shared/time";
import { isoTime } from "../shared/validators";

export const AUDIT_ACTOR_TYPES = ["admin", "brand", "publisher", "integration", "system"] as const;

export const listAuditQuery = z.strictObject({
  entity_type: z.string().max(40).optional(),
  entity_id: z.string().max(64).optional(),
  actor_type: z.enum(AUDIT_ACTOR_TYPES).optional(),
  actor_id: z.string().max(64).optional(),
  action: z.string().max(80).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  /** Oldest first when "asc" (the cursor then pages forward in time). */
  dir: z.enum(["asc", "desc"]).default("desc"),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Audit rows newest first (or oldest first); ids are UUIDv7 so the id is the cursor and the time order. */
export async function listAudit(ctx: AppContext, q: z.infer<typeof listAuditQuery>) {
  const asc_ = q.dir === "asc";
  const rows = await ctx.db.select().from(auditLog).where(and(
    q.entity_type ? eq(auditLog.entityType, q.entity_type) : undefined,
    q.entity_id ? eq(auditLog.entityId, q.entity_id) : undefined,
    q.actor_type ? eq(auditLog.actorType, q.actor_type) : undefined,
    q.actor_id ? eq(auditLog.actorId, q.actor_id) : undefined,
    q.action ? eq(auditLog.action, q.action) : undefined,
    q.since !== undefined ? gte(auditLog.at, q.since) : undefined,
    q.until !== undefined ? lt(auditLog.at, q.until) : undefined,
    q.cursor ? (asc_ ? gt(auditLog.id, q.cursor) : lt(auditLog.id, q.cursor)) : undefined,
  )).orderBy(asc_ ? asc(auditLog.id) : desc(auditLog.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    data: page.map((r) => ({
      id: r.id, at: iso(r.at), actor_type: r.actorType, actor_id: r.actorId, action: r.action,
      entity_type: r.entityType, entity_id: r.entityId, from_status: r.fromStatus, to_status: r.toStatus,
      reason: r.reason, data: r.data ? JSON.parse(r.data) : null,
    })),
    next_cursor: rows.length > q.limit ? page[page.length - 1]!.id : null,
  };
}
