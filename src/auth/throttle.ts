import { eq, sql } from "drizzle-orm";
import type { AppContext } from "../context";
import { loginThrottle } from "../db/schema";

/**
 * Login throttling, per account (the email as typed, known or not, so a lock
 * never confirms that an account exists) and per client IP (keyed hash).
 * From the third failure in a streak each answer is delayed (doubling, capped);
 * at `maxFailures` the key is locked for `lockMs`. An IP gets more room than an
 * account (several people behind one NAT).
 */
export interface ThrottlePolicy { maxFailures: number; lockMs: number; baseDelayMs: number; ipFactor: number }

export function policyFrom(c: { LOGIN_MAX_FAILURES: number; LOGIN_LOCK_MINUTES: number; LOGIN_DELAY_MS: number }): ThrottlePolicy {
  return { maxFailures: c.LOGIN_MAX_FAILURES, lockMs: c.LOGIN_LOCK_MINUTES * 60_000, baseDelayMs: c.LOGIN_DELAY_MS, ipFactor: 5 };
}

export type ThrottleRow = typeof loginThrottle.$inferSelect;

/** How long to hold the answer to a failed attempt that made `failures` in a row. */
export function delayFor(failures: number, p: ThrottlePolicy): number {
  if (failures < 3) return 0;
  return Math.min(p.baseDelayMs * 2 ** (failures - 3), 8 * p.baseDelayMs, 8_000);
}

/** Ms until the key may try again (0 = not locked). */
export function lockedFor(row: ThrottleRow | undefined, now: number): number {
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil - now : 0;
}

/** The row after one more failure: a streak older than the lock period starts over. */
export function afterFailure(row: ThrottleRow | undefined, key: string, now: number, limit: number, p: ThrottlePolicy): ThrottleRow {
  const stale = !row || now - row.lastFailureAt > p.lockMs || (row.lockedUntil !== null && row.lockedUntil <= now);
  const failures = (stale ? 0 : row!.failures) + 1;
  return { key, failures, lastFailureAt: now, lockedUntil: failures >= limit ? now + p.lockMs : null };
}

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const ipKey = (ctx: AppContext, ip: string) => `ip:${ctx.secrets.mac("login-ip", ip)}`;

export async function readThrottle(ctx: AppContext, keys: string[]): Promise<ThrottleRow[]> {
  const rows = await Promise.all(keys.map((k) => ctx.db.select().from(loginThrottle).where(eq(loginThrottle.key, k))));
  return rows.map((r) => r[0]).filter((r): r is ThrottleRow => r !== undefined);
}

/** Records one failure on each key; returns the delay to apply (the largest). */
export async function recordFailure(ctx: AppContext, keys: { key: string; limit: number }[], p: ThrottlePolicy): Promise<number> {
  const now = ctx.clock.now();
  let delay = 0;
  for (const { key, limit } of keys) {
    const [row] = await ctx.db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
    const next = afterFailure(row, key, now, limit, p);
    await ctx.db.insert(loginThrottle).values(next).onConflictDoUpdate({
      target: loginThrottle.key,
      // A concurrent failure may have counted already: never go backwards.
      set: { failures: next.failures === 1 ? 1 : sql`max(${loginThrottle.failures} + 1, ${next.failures})`, lastFailureAt: now, lockedUntil: next.lockedUntil },
    });
    delay = Math.max(delay, delayFor(next.failures, p));
  }
  return delay;
}

export async function clearThrottle(ctx: AppContext, key: string): Promise<void> {
  await ctx.db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}
