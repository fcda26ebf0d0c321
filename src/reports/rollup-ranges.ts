import { localDate, localMidnight, type Range } from "./periods";

/** Bucket widths of the rollup grains (src/db/schema/report-rollups.ts): 1 = UTC hour, 2 = UTC day. */
export const GRAIN_MS: Record<number, number> = { 1: 3_600_000, 2: 86_400_000 };
/** The grains every dim keeps. */
export const HOUR_AND_DAY = [1, 2] as const;

/** Buckets [from, to) of one grain. */
export interface Span { grain: number; from: number; to: number }
/**
 * A range as whole rollup buckets (`spans`) plus what no bucket covers
 * exactly (`partial`: the part of an edge short of the finest grain, e.g. a
 * running period's current hour or the half hour a +05:30 zone's midnight
 * sits off the UTC hour, counted from the base rows).
 */
export interface Pieces { spans: Span[]; partial: Range[] }

/** Whole buckets of [lo, hi) (both aligned to the finest grain): coarse in the middle, finer towards the edges. */
function decompose(lo: number, hi: number, grains: readonly number[], out: Span[]) {
  for (let i = 0; i < grains.length; i++) {
    const g = grains[i]!, w = GRAIN_MS[g]!, next = grains[i + 1] === undefined ? undefined : GRAIN_MS[grains[i + 1]!]!;
    const a = next === undefined ? hi : Math.ceil(lo / next) * next, b = next === undefined ? hi : Math.floor(hi / next) * next;
    if (next === undefined || a >= b) { if (lo < hi) out.push({ grain: g, from: lo / w, to: hi / w }); return; }
    if (lo < a) out.push({ grain: g, from: lo / w, to: a / w });
    if (b < hi) out.push({ grain: g, from: b / w, to: hi / w });
    lo = a; hi = b;
  }
}

/**
 * [start, end) as rollup buckets of `grains` (ascending), never letting a
 * bucket cross one of `cuts` (local midnights, when the caller groups by
 * local day: each bucket then lies within one day). Adjacent spans of one
 * grain are merged.
 */
export function rollupPieces(range: Range, cuts: number[] = [], grains: readonly number[] = HOUR_AND_DAY): Pieces {
  const spans: Span[] = [], partial: Range[] = [];
  const edges = [range.start, ...cuts.filter((c) => c > range.start && c < range.end).sort((a, b) => a - b), range.end];
  const q = GRAIN_MS[grains[0]!]!;
  for (let i = 0; i + 1 < edges.length; i++) {
    const s = edges[i]!, e = edges[i + 1]!;
    const a = Math.ceil(s / q) * q, b = Math.floor(e / q) * q;
    if (a >= b) { if (s < e) partial.push({ start: s, end: e }); continue; }
    if (s < a) partial.push({ start: s, end: a });
    decompose(a, b, grains, spans);
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
