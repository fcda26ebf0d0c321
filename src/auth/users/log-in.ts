import { eq } from "drizzle-orm";
import type { AppContext } from "../../context";
import { users } from "../../db/schema";
import { decoyHash, verifyPassword } from "../passwords";
import type { UserRow } from "../sessions";
import { accountKey, clearThrottle, ipKey, lockedFor, policyFrom, readThrottle, recordFailure } from "../throttle";
import { normalEmail } from "./create-user";

export type LoginResult =
  | { ok: true; user: UserRow }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; retryMinutes: number };

/**
 * Checks an email and password under the throttle. Unknown email, no password
 * yet, disabled account and wrong password are one answer ("invalid") and cost
 * the same argon2 verify; a lock is checked before the password and applies to
 * unknown emails too, so neither answer says whether the account exists.
 */
export async function logIn(ctx: AppContext, input: { email: string; password: string; ip: string | null }, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<LoginResult> {
  const policy = policyFrom(ctx.config);
  const keys = [{ key: accountKey(input.email), limit: policy.maxFailures }];
  if (input.ip) keys.push({ key: ipKey(ctx, input.ip), limit: policy.maxFailures * policy.ipFactor });
  const now = ctx.clock.now();
  const locked = Math.max(0, ...(await readThrottle(ctx, keys.map((k) => k.key))).map((r) => lockedFor(r, now)));
  if (locked > 0) return { ok: false, reason: "locked", retryMinutes: Math.ceil(locked / 60_000) };

  const [user] = await ctx.db.select().from(users).where(eq(users.email, normalEmail(input.email)));
  const hash = user?.passwordHash ?? await decoyHash();
  const match = await verifyPassword(input.password, hash);
  if (user && user.passwordHash && match && user.status !== "disabled") {
    await clearThrottle(ctx, keys[0]!.key);
    await ctx.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
    return { ok: true, user: { ...user, lastLoginAt: now } };
  }
  const delay = await recordFailure(ctx, keys, policy);
  if (delay > 0) await sleep(delay);
  return { ok: false, reason: "invalid" };
}
