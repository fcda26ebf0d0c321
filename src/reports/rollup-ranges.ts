import { localDate, localMidnight, type Range } from "./periods";

/** Bucket widths of the rollup grains (src/db/schema/report-rollups.ts): UTC quarter hour, hour, day. */
export const GRAIN_MS = [900_000, 3_600_000, 86_400_000] as const;

/** Buckets [from, to) of one grain. */
export interface Span { grain: number; from: number; to: number }
/**
 * A range as whole rollup buckets (`spans`) plus what no bucket covers
 * exactly (`partial`: less than a quarter hour at an unaligned edge, counted
 * from the base rows).
 */
export interface Pieces { spans: Span[]; partial: Range[] }

/** Whole buckets of [lo, hi) (both quarter-aligned): coarse in the middle, finer towards the edges. */
function decompose(lo: number, hi: number, out: Span[]) {
  for (let g = 0; g < GRAIN_MS.length; g++) {
    const w = GRAIN_MS[g]!, next = GRAIN_MS[g + 1];
    const a = next === undefined ? hi : Math.ceil(lo / next) * next, b = next === undefined ? hi : Math.floor(hi / next) * next;
    if (next === undefined || a >= b) { if (lo < hi) out.push({ grain: g, from: lo / w, to: hi / w }); return; }
    if (lo < a) out.push({ grain: g, from: lo / w, to: a / w });
    if (b < hi) out.push({ grain: g, from: b / w, to: hi / w });
    lo = a; hi = b;
  }
}

/**
 * [start, end) as rollup buckets, never letting a bucket cross one of `cuts`
 * (local midnights, when the caller groups by local day: each bucket then
 * lies within one day). Adjacent spans of one grain are merged.
 */
export function rollupPieces(range: Range, cuts: number[] = []): Pieces {
  const spans: Span[] = [], partial: Range[] = [];
  const edges = [range.start, ...cuts.filter((c) => c > range.start && c < range.end).sort((a, b) => a - b), range.end];
  const q = GRAIN_MS[0];
  for (let i = 0; i + 1 < edges.length; i++) {
    const s = edges[i]!, e = edges[i + 1]!;
    const a = Math.ceil(s / q) * q, b = Math.floor(e / q) * q;
    if (a >= b) { if (s < e) partial.push({ start: s, end: e }); continue; }
    if (s < a) partial.push({ start: s, end: a });
    decompose(a, b, spans);
    if (b < e) partial.push({ start: b, end: e });
  }
  spans.sort((x, y) => x.grain - y.grain || x.from - y.from);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && last.grain === s.grain && last.to === s.from) last.to = s.to;
    else merged.push({ ...s });
  }
  return { spans: merged, partial };
}

/** The local midnights strictly inside `range` in `tz` (where a by-day grouping must cut). */
export function localMidnightsIn(range: Range, tz: string): number[] {
  const { y, m, d } = localDate(range.start, tz);
  const out: number[] = [];
  for (let i = 1; ; i++) {
    const t = localMidnight(y, m, d + i, tz);
    if (t >= range.end) return out;
    if (t > range.start) out.push(t);
  }
}
