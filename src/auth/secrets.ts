import { createHash, timingSafeEqual } from "node:crypto";
import { randomToken } from "../shared/ids";

/**
 * API keys and admin tokens carry 192 random bits, so a fast SHA-256 is the
 * right storage hash (a slow KDF buys nothing against a key that cannot be
 * guessed); it also lets us find the row by hash. Passwords use argon2id.
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function newSecret(prefix: "lc_admin_" | "lc_live_" | "lc_test_"): string {
  return prefix + randomToken(24);
}

/** Constant-time string equality (length leak only). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function bearer(header: string | null): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/**
 * Secrets that people choose (a generic shared secret, an Impact AuthToken or
 * URL token) can be guessable, so a bare SHA-256 in a leaked database could be
 * brute-forced. They are stored as an HMAC-SHA256 under the appliance's
 * secrets key (which lives outside the database): "k1:" + base64url. Rows
 * written before keep their bare SHA-256 hex and still verify; a successful
 * verify upgrades them (see integration-store).
 */
export const KEYED_PREFIX = "k1:";

export function keyedSecretHash(box: { mac(purpose: string, data: string): string }, secret: string): string {
  return KEYED_PREFIX + box.mac("user-chosen-secret", secret);
}

/** Constant-time check of a candidate against a stored keyed hash or a legacy bare SHA-256. */
export function matchesStoredSecret(box: { mac(purpose: string, data: string): string }, candidate: string, stored: string): "keyed" | "legacy" | false {
  if (stored.startsWith(KEYED_PREFIX)) return safeEqual(keyedSecretHash(box, candidate), stored) ? "keyed" : false;
  return safeEqual(hashSecret(candidate), stored) ? "legacy" : false;
}
