import { randomBytes } from "node:crypto";

/**
 * UUIDv7: 48-bit ms timestamp + random. Time-ordered, so the clicks index only
 * appends. Monotonic within a millisecond (12-bit counter in rand_a).
 */
let lastMs = 0;
let seq = 0;
/** "tttttttt-tttt-" for lastMs: recomputed only when the millisecond changes (the hot path runs many ids per ms). */
let prefix = "";
const pool = { buf: randomBytes(4096), off: 0 };

/** Offset of `n` fresh random bytes in pool.buf (no allocation per id). */
function randomAt(n: number): number {
  if (pool.off + n > pool.buf.length) { pool.buf = randomBytes(4096); pool.off = 0; }
  const at = pool.off;
  pool.off += n;
  return at;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs <= lastMs) {
    seq = (seq + 1) & 0xfff;
    if (seq === 0) { lastMs++; prefix = ""; }
  } else {
    lastMs = nowMs;
    const at = randomAt(1);
    seq = pool.buf[at]! & 0x7f;
    prefix = "";
  }
  if (prefix === "") {
    const ts = lastMs.toString(16).padStart(12, "0").slice(-12);
    prefix = `${ts.slice(0, 8)}-${ts.slice(8)}-`;
  }
  const r = randomAt(8);
  const b = pool.buf;
  return prefix + HEX[0x70 | (seq >> 8)]! + HEX[seq & 0xff]! + "-" + HEX[0x80 | (b[r]! & 0x3f)]! + HEX[b[r + 1]!]! + "-" +
    HEX[b[r + 2]!]! + HEX[b[r + 3]!]! + HEX[b[r + 4]!]! + HEX[b[r + 5]!]! + HEX[b[r + 6]!]! + HEX[b[r + 7]!]!;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Unguessable URL-safe token: `bytes` of randomness, base64url. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}

/** Short unguessable slug for tracking links (96 bits, base64url: 16 chars). */
export function newSlug(): string {
  return randomBytes(12).toString("base64url");
}
