/**
 * Requests that fail authentication cost almost nothing to keep: each source
 * (client address), provider and answer gets INBOX_SAMPLES_PER_MINUTE rows of
 * its own per minute; beyond that the minute's rejections are counted on one
 * sample row (repeat_count) instead of being stored one by one. The counter
 * is written behind the requests, coalesced (at most one update in flight
 * per sample row), so a flood turns into a few UPDATEs, not a row each.
 * Many sources at once (a botnet, or addresses made up behind a trusted
 * proxy) are bounded too: past `maxSinglesPerMinute` rows of their own in a
 * minute, all sources share one sample row per provider and answer.
 */
export interface SampleRow {
  id: string | null;
  /** Requests counted on the sample row so far (in memory). */
  count: number;
  /** What the database row says. */
  written: number;
  writing: boolean;
}

export type FloodDecision = { kind: "single" } | { kind: "sample"; row: SampleRow };

export class FloodSampler {
  private keys = new Map<string, { singles: number; sample: SampleRow | null }>();
  private minute = -1;
  private singles = 0;
  constructor(private perMinute: number, private maxSinglesPerMinute = 500, private maxKeys = 10_000) {}

  admit(source: string, provider: string, status: number, now: number): FloodDecision {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.minute) { this.keys.clear(); this.minute = minute; this.singles = 0; }
    // Past the caps all sources share one key: memory and rows stay bounded whatever their number.
    let key = `${source}|${provider}|${status}`;
    if (this.singles >= this.maxSinglesPerMinute || (!this.keys.has(key) && this.keys.size >= this.maxKeys)) key = `*|${provider}|${status}`;
    let e = this.keys.get(key);
    if (!e) this.keys.set(key, (e = { singles: 0, sample: null }));
    if (e.singles < this.perMinute && this.singles < this.maxSinglesPerMinute) { e.singles++; this.singles++; return { kind: "single" }; }
    if (!e.sample) e.sample = { id: null, count: 0, written: 0, writing: false };
    e.sample.count++;
    return { kind: "sample", row: e.sample };
  }
}
