import { and, eq, isNull } from "drizzle-orm";
import type { AppContext } from "../../context";
import { userInvites, users } from "../../db/schema";
import { DAY_MS } from "../../shared/clock";
import { Gone, NotFound } from "../../shared/errors";
import { randomToken, uuidv7 } from "../../shared/ids";
import { hashSecret } from "../secrets";
import { queueMail } from "../../mail/outbox";
import { getNetworkSettings } from "../../settings/network-settings";

export const INVITE_TTL_MS = 7 * DAY_MS;

/** The statements that issue a fresh invite (earlier unused ones are withdrawn) and its one-time URL. */
export function inviteStatements(ctx: AppContext, userId: string, now: number) {
  const token = randomToken(32);
  const row = { id: uuidv7(now), userId, tokenHash: hashSecret(token), createdAt: now, expiresAt: now + INVITE_TTL_MS };
  return {
    id: row.id,
    url: `${ctx.config.PUBLIC_URL}/invite/${token}`,
    statements: [
      ctx.db.delete(userInvites).where(and(eq(userInvites.userId, userId), isNull(userInvites.usedAt))),
      ctx.db.insert(userInvites).values(row),
    ] as const,
  };
}

/**
 * With SMTP_URL set, the statement that queues the invite mail (in the caller's
 * transaction, once per invite); without it none, and the link is only shown.
 * The outbox skips it if the link was used or replaced before it went out.
 */
export async function inviteMail(ctx: AppContext, invite: { id: string; url: string }, to: string, purpose: "invite" | "reset", now: number) {
  if (!ctx.config.SMTP_URL) return [];
  const { networkName } = await getNetworkSettings(ctx);
  const days = Math.round(INVITE_TTL_MS / DAY_MS);
  const body = purpose === "invite"
    ? `You have been invited to ${networkName}.\n\nSet your password with this link (it works once and expires in ${days} days):\n${invite.url}\n\nIf you did not expect this mail, ignore it.`
    : `A new password link was issued for your ${networkName} account. Earlier links no longer work.\n\nSet a new password with this link (it works once and expires in ${days} days):\n${invite.url}\n\nIf you did not ask for this, tell your network administrator.`;
  return queueMail(ctx, { kind: "invite", refId: invite.id, to, subject: purpose === "invite" ? `Your ${networkName} account` : `Set a new ${networkName} password`, body }, now);
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
