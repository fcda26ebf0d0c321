import { and, desc, eq, lt } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "../context";
import { auditLog } from "../db/schema";
import { iso } from "../shared/time";

export const listAuditQuery = z.strictObject({
  entity_type: z.string().max(40).optional(),
  entity_id: z.string().max(64).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Audit rows newest first; ids are UUIDv7 so the id is the cursor. */
export async function listAudit(ctx: AppContext, q: z.infer<typeof listAuditQuery>) {
  const rows = await ctx.db.select().from(auditLog).where(and(
    q.entity_type ? eq(auditLog.entityType, q.entity_type) : undefined,
    q.entity_id ? eq(auditLog.entityId, q.entity_id) : undefined,
    q.cursor ? lt(auditLog.id, q.cursor) : undefined,
  )).orderBy(desc(auditLog.id)).limit(q.limit + 1);
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
