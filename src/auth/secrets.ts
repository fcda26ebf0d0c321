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
