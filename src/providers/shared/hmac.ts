/** HMAC-SHA256 signature checks over the exact raw body, in constant time. */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { VerifyResult } from "../types";

const DIGEST_BYTES = 32;

/** A signature sent as 64 hex digits or as (url-safe) base64 of 32 bytes; null when neither. */
export function decodeSignature(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return null;
  const bytes = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return bytes.length === DIGEST_BYTES ? bytes : null;
}

export function hmacSha256(secret: string, body: Uint8Array): Buffer {
  return createHmac("sha256", secret).update(body).digest();
}

/**
 * Passes when any of the sent signatures (already read from their headers)
 * is the HMAC of the body. Every candidate is compared, so timing says nothing
 * about which one matched.
 */
export function verifyHmac(body: Uint8Array, secret: string | null | undefined, sent: (string | null)[]): VerifyResult {
  const candidates = sent.filter((s): s is string => s !== null);
  if (candidates.length === 0) return { ok: false, reason: "missing signature" };
  if (!secret) return { ok: false, reason: "no signing secret configured" };
  const expected = hmacSha256(secret, body);
  let match = false;
  for (const text of candidates) {
    const given = decodeSignature(text);
    if (given !== null && given.length === expected.length && timingSafeEqual(given, expected)) match = true;
  }
  return match ? { ok: true } : { ok: false, reason: "bad signature" };
}
