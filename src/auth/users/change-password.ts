import { and, eq, ne } from "drizzle-orm";
import type { AppContext } from "../../context";
import { sessions, users } from "../../db/schema";
import { Validation } from "../../shared/errors";
import { hashPassword, verifyPassword } from "../passwords";
import type { SessionRow, UserRow } from "../sessions";

/** Changes a signed-in user's password (current one required); its other sessions end. */
export async function changePassword(ctx: AppContext, who: { user: UserRow; session: SessionRow }, input: { current: string; password: string }) {
  if (!who.user.passwordHash || !(await verifyPassword(input.current, who.user.passwordHash))) {
    throw new Validation({ current: ["is not your current password"] }, "Your password was not changed");
  }
  const hash = await hashPassword(input.password);
  const now = ctx.clock.now();
  await ctx.db.batch([
    ctx.db.update(users).set({ passwordHash: hash, updatedAt: now }).where(eq(users.id, who.user.id)),
    ctx.db.delete(sessions).where(and(eq(sessions.userId, who.user.id), ne(sessions.id, who.session.id))),
  ]);
}
