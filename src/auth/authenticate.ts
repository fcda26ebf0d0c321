import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { touchAdminToken } from "../network/admin-tokens";
import { adminTokens, brandApiKeys } from "../db/schema";
import { Unauthorized } from "../shared/errors";
import { bearer, hashSecret, safeEqual } from "./secrets";

/**
 * Who is acting. API callers: an admin token, a brand key, an integration's
 * webhook, the system itself. Console users: an admin, a user of one brand, a
 * user of one publisher (`via: "session"`, id = the user id). Domain verbs take
 * the actor and return only its rows (see conversions/list-conversions.ts).
 */
export type Actor =
  | { type: "admin"; id: string; via: "token" | "session" }
  | { type: "brand"; id: string; brandId: string; mode: "live" | "test"; via: "key" | "session" }
  | { type: "publisher"; id: string; publisherId: string; via: "session" }
  | { type: "integration"; id: string }
  | { type: "system"; id: null };

export const SYSTEM: Actor = { type: "system", id: null };

/** Admin bearer token -> actor (looked up every time, so a revocation holds at once). Every failure is the same 401. */
export async function authenticateAdmin(db: Db, authorization: string | null, now = Date.now()): Promise<Actor & { type: "admin" }> {
  const token = bearer(authorization);
  if (!token || !token.startsWith("lc_admin_")) throw new Unauthorized();
  const hash = hashSecret(token);
  const [row] = await db.select().from(adminTokens).where(eq(adminTokens.tokenHash, hash));
  if (!row || row.revokedAt !== null || !safeEqual(row.tokenHash, hash)) throw new Unauthorized();
  touchAdminToken(db, row, now);
  return { type: "admin", id: row.id, via: "token" };
}

/** Brand API key (lc_live_/lc_test_) -> actor with its mode. Every failure is the same 401. */
export async function authenticateBrand(
  db: Db, authorization: string | null, cache?: { get(k: string, now: number, load: () => Promise<typeof brandApiKeys.$inferSelect | null>): Promise<typeof brandApiKeys.$inferSelect | null> }, now = Date.now(),
): Promise<Actor & { type: "brand" }> {
  const key = bearer(authorization);
  if (!key || !(key.startsWith("lc_live_") || key.startsWith("lc_test_"))) throw new Unauthorized();
  const hash = hashSecret(key);
  const load = async () => (await db.select().from(brandApiKeys).where(eq(brandApiKeys.keyHash, hash)))[0] ?? null;
  const row = cache ? await cache.get(hash, now, load) : await load();
  if (!row || row.revokedAt !== null || !safeEqual(row.keyHash, hash)) throw new Unauthorized();
  // The prefix must agree with the stored mode: a test key can never act live.
  if (!key.startsWith(`lc_${row.mode}_`)) throw new Unauthorized();
  return { type: "brand", id: row.id, brandId: row.brandId, mode: row.mode, via: "key" };
}
