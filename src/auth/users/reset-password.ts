import { eq } from "drizzle-orm";
import type { AppContext } from "../../context";
import { auditLog, users } from "../../db/schema";
import { auditValues } from "../../audit/audit";
import { NotFound } from "../../shared/errors";
import type { Actor } from "../authenticate";
import { normalEmail } from "./create-user";
import { inviteMail, inviteStatements } from "./invites";

/** A fresh one-time link where the user sets a new password (earlier links stop working). */
export async function resetPassword(ctx: AppContext, actor: Actor, email: string): Promise<{ id: string; invite_url: string }> {
  const [u] = await ctx.db.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, normalEmail(email)));
  if (!u) throw new NotFound("No user with this email");
  const now = ctx.clock.now();
  const invite = inviteStatements(ctx, u.id, now);
  const mail = await inviteMail(ctx, invite, u.email, "reset", now);
  await ctx.db.batch([...invite.statements, ...mail, ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "user.password_reset_issued", entityType: "user", entityId: u.id }))]);
  return { id: u.id, invite_url: invite.url };
}
