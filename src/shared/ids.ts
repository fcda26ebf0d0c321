import { randomBytes } from "node:crypto";

/**
 * UUIDv7: 48-bit ms timestamp + random. Time-ordered, so the clicks index only
 * appends. Monotonic within a millisecond (12-bit counter in rand_a).
 */
let lastMs = 0;
let seq = 0;
const pool = { buf: randomBytes(4096), off: 4096 };

function random10(): Uint8Array {
  if (pool.off + 10 > pool.buf.length) { pool.buf = randomBytes(4096); pool.off = 0; }
  const out = pool.buf.subarray(pool.off, pool.off + 10);
  pool.off += 10;
  return out;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs <= lastMs) { seq = (seq + 1) & 0xfff; if (seq === 0) lastMs++; nowMs = lastMs; }
  else { lastMs = nowMs; seq = random10()[0]! & 0x7f; }
  const r = random10();
  const b = new Uint8Array(16);
  let ts = nowMs;
  for (let i = 5; i >= 0; i--) { b[i] = ts % 256; ts = Math.floor(ts / 256); }
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (r[0]! & 0x3f);
  for (let i = 9; i < 16; i++) b[i] = r[i - 8]!;
  let s = "";
  for (let i = 0; i < 16; i++) {
    s += HEX[b[i]!];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += "-";
  }
  return s;
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
