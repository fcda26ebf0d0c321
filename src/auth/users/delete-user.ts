import { eq } from "drizzle-orm";
import type { AppContext } from "../../context";
import { auditLog, sessions, userInvites, users } from "../../db/schema";
import { auditValues } from "../../audit/audit";
import { Conflict, NotFound } from "../../shared/errors";
import type { Actor } from "../authenticate";

/** Deletes a user with its sessions (signed out at once) and invites. An admin cannot delete itself. */
export async function deleteUser(ctx: AppContext, actor: Actor, id: string): Promise<{ id: string; deleted: true }> {
  if (actor.type === "admin" && actor.via === "session" && actor.id === id) throw new Conflict("You cannot delete your own account");
  const [u] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, id));
  if (!u) throw new NotFound("User not found");
  const now = ctx.clock.now();
  await ctx.db.batch([
    ctx.db.delete(sessions).where(eq(sessions.userId, id)),
    ctx.db.delete(userInvites).where(eq(userInvites.userId, id)),
    ctx.db.delete(users).where(eq(users.id, id)),
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "user.deleted", entityType: "user", entityId: id, data: { email: u.email } })),
  ]);
  return { id, deleted: true };
}
