import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../../context";
import { auditLog, publishers, sessions, users, USER_STATUSES } from "../../db/schema";
import { auditValues } from "../../audit/audit";
import { NotFound } from "../../shared/errors";
import type { Actor } from "../authenticate";

/**
 * Approves (active) or disables a user; disabling ends its sessions at once.
 * Approving a self-signed-up publisher user also activates its pending publisher.
 */
export async function setUserStatus(ctx: AppContext, actor: Actor, id: string, status: (typeof USER_STATUSES)[number]) {
  const [u] = await ctx.db.select().from(users).where(eq(users.id, id));
  if (!u) throw new NotFound("User not found");
  const now = ctx.clock.now();
  const statements: BatchItem<"sqlite">[] = [ctx.db.update(users).set({ status, updatedAt: now }).where(eq(users.id, id))];
  if (status === "disabled") statements.push(ctx.db.delete(sessions).where(eq(sessions.userId, id)));
  if (status === "active" && u.publisherId) {
    statements.push(ctx.db.update(publishers).set({ status: "active", updatedAt: now }).where(and(eq(publishers.id, u.publisherId), eq(publishers.status, "pending"))));
  }
  statements.push(ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "user.status_changed", entityType: "user", entityId: id, fromStatus: u.status, toStatus: status })));
  await ctx.db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return { id, status };
}
