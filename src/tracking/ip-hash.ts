import { createHmac } from "node:crypto";

/**
 * Keyed HMAC of the client IP (truncated to 128 bits) with the salt of the
 * click's UTC day: equal for one address within a day (duplicate clicks,
 * fraud signals), unlinkable across days, and not reversible once that day's
 * salt is deleted. Kept free of app imports: the writer Worker loads it.
 */
export function hashIp(salt: string, ip: string | null): string | null {
  if (!ip) return null;
  return createHmac("sha256", salt).update(ip).digest("base64url").slice(0, 22);
}

/** The UTC day number (days since 1970-01-01) of a time in ms: which salt hashes it. */
export const dayNumber = (ms: number): number => Math.floor(ms / 86_400_000);

/** A day number as the YYYY-MM-DD stored beside its salt. */
export const dayText = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** Salts by day number, as handed to whoever hashes (this thread or the writer thread). */
export type DaySalts = Map<number, string>;
