import { and, eq, isNull } from "drizzle-orm";
import type { AppContext } from "../../context";
import { sessions, userInvites, users } from "../../db/schema";
import { Gone } from "../../shared/errors";
import { hashPassword } from "../passwords";
import { findUsableInvite } from "./invites";

/**
 * Sets the password behind a one-time link. The invite is consumed by a
 * conditional update, so two submits of one link set a password once; other
 * sessions of the user end (a reset link signs out everywhere).
 */
export async function acceptInvite(ctx: AppContext, token: string, password: string) {
  const { invite, user } = await findUsableInvite(ctx, token);
  const hash = await hashPassword(password);
  const now = ctx.clock.now();
  const [used] = await ctx.db.update(userInvites).set({ usedAt: now })
    .where(and(eq(userInvites.id, invite.id), isNull(userInvites.usedAt))).returning({ id: userInvites.id });
  if (!used) throw new Gone("This invite link has already been used. Sign in, or ask an administrator for a new link.");
  await ctx.db.batch([
    ctx.db.update(users).set({ passwordHash: hash, updatedAt: now }).where(eq(users.id, user.id)),
    ctx.db.delete(sessions).where(eq(sessions.userId, user.id)),
  ]);
  return user;
}
