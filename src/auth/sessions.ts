import { and, eq, gt, lt } from "drizzle-orm";
import type { AppContext } from "../context";
import { sessions, users } from "../db/schema";
import { DAY_MS } from "../shared/clock";
import { randomToken } from "../shared/ids";
import { hashSecret } from "./secrets";

export const SESSION_COOKIE = "lc_session";
export const SESSION_TTL_MS = 30 * DAY_MS;
/** Sliding expiry is written at most this often per session (not on every request). */
export const SESSION_REFRESH_MS = 5 * 60_000;

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

/**
 * Starts a session: a fresh random token for the cookie, its hash as the row
 * id, a CSRF token for the forms. `replacing` (the session the browser had)
 * is deleted in the same batch, so every login rotates the id.
 */
export async function createSession(ctx: AppContext, userId: string, replacing: string | null): Promise<{ token: string; session: SessionRow }> {
  const now = ctx.clock.now();
  const token = randomToken(32);
  const session: SessionRow = { id: hashSecret(token), userId, csrfToken: randomToken(24), createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_TTL_MS };
  await ctx.db.batch([
    ctx.db.delete(sessions).where(eq(sessions.id, replacing ? hashSecret(replacing) : "")),
    ctx.db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now))),
    ctx.db.insert(sessions).values(session),
  ]);
  return { token, session };
}

/** The live session and its active-or-pending user for a cookie token, sliding the expiry when due. */
export async function readSession(ctx: AppContext, token: string): Promise<{ session: SessionRow; user: UserRow } | null> {
  if (token.length < 20 || token.length > 100) return null;
  const now = ctx.clock.now();
  const [row] = await ctx.db.select({ session: sessions, user: users }).from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, hashSecret(token)), gt(sessions.expiresAt, now)));
  if (!row || row.user.status === "disabled") return null;
  if (now - row.session.lastSeenAt >= SESSION_REFRESH_MS) {
    const expiresAt = now + SESSION_TTL_MS;
    await ctx.db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, row.session.id));
    row.session = { ...row.session, lastSeenAt: now, expiresAt };
  }
  return row;
}

export async function endSession(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.delete(sessions).where(eq(sessions.id, hashSecret(token)));
}

/** Set-Cookie for a session (Secure when the public URL is https). */
export function sessionCookie(ctx: AppContext, token: string, maxAgeSeconds = SESSION_TTL_MS / 1000): string {
  const secure = ctx.config.PUBLIC_URL.startsWith("https:") ? "; Secure" : "";
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}
export const clearSessionCookie = (ctx: AppContext) => sessionCookie(ctx, "", 0);

export function cookieToken(request: Request): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === SESSION_COOKIE) return v.join("=") || null;
  }
  return null;
}
