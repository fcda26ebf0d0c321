import { createHmac } from "node:crypto";

/** Keyed HMAC of the client IP (truncated to 128 bits): joinable, not reversible without the key. */
export function hashIp(secret: string, ip: string | null): string | null {
  if (!ip) return null;
  return createHmac("sha256", secret).update(ip).digest("base64url").slice(0, 22);
}
