import { and, eq, isNull } from "drizzle-orm";
import type { AppContext } from "../../context";
import { userInvites, users } from "../../db/schema";
import { DAY_MS } from "../../shared/clock";
import { Gone, NotFound } from "../../shared/errors";
import { randomToken, uuidv7 } from "../../shared/ids";
import { hashSecret } from "../secrets";

export const INVITE_TTL_MS = 7 * DAY_MS;

/** The statements that issue a fresh invite (earlier unused ones are withdrawn) and its one-time URL. */
export function inviteStatements(ctx: AppContext, userId: string, now: number) {
  const token = randomToken(32);
  const row = { id: uuidv7(now), userId, tokenHash: hashSecret(token), createdAt: now, expiresAt: now + INVITE_TTL_MS };
  return {
    url: `${ctx.config.PUBLIC_URL}/invite/${token}`,
    statements: [
      ctx.db.delete(userInvites).where(and(eq(userInvites.userId, userId), isNull(userInvites.usedAt))),
      ctx.db.insert(userInvites).values(row),
    ] as const,
  };
}

/**
 * The invite behind a token, still usable: unknown -> 404, used or expired ->
 * 410 (the page says which, never who it was for).
 */
export async function findUsableInvite(ctx: AppContext, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new NotFound("This invite link is not valid. Check that it was copied completely, or ask for a new one.");
  const [row] = await ctx.db.select({ invite: userInvites, user: users }).from(userInvites)
    .innerJoin(users, eq(users.id, userInvites.userId)).where(eq(userInvites.tokenHash, hashSecret(token)));
  if (!row) throw new NotFound("This invite link is not valid. Check that it was copied completely, or ask for a new one.");
  if (row.invite.usedAt !== null) throw new Gone("This invite link has already been used. Sign in, or ask an administrator for a new link.");
  if (row.invite.expiresAt <= ctx.clock.now()) throw new Gone("This invite link has expired (links are valid for 7 days). Ask an administrator for a new one.");
  if (row.user.status === "disabled") throw new Gone("This account is disabled.");
  return row;
}
