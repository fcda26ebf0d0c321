/**
 * Fraud signals for the review queue: pure, every input given. A signal is a
 * hint for a person reviewing, never an automatic decision.
 *
 * - bot_click: the conversion's click was flagged as a bot or link-preview /
 *   prefetch fetch (tracking/bots.ts); such clicks are never credited, so a
 *   conversion that names one is worth a look.
 * - fast_conversion: fewer than FAST_SECONDS between click and conversion: a
 *   real shopper rarely checks out that fast (cookie stuffing, scripted orders).
 * - same_ip: the click's IP hash is shared with at least SAME_IP_MIN
 *   conversions. IP hashes use a salt that changes daily, so equal hashes mean
 *   the same IP on the same (UTC) day; counted over that day's conversions.
 * - value_outlier: the order value (in the program currency) is above the
 *   program's p95 and at least OUTLIER_MEDIAN_FACTOR x its median, measured on
 *   up to OUTLIER_SAMPLE of the program's most recent live conversions of the
 *   last 30 days (a cheap approximation: a sample, not the full distribution),
 *   and only once there are OUTLIER_MIN_SAMPLE of them.
 */
export const FAST_SECONDS = 10;
export const SAME_IP_MIN = 3;
export const OUTLIER_MEDIAN_FACTOR = 3;
export const OUTLIER_MIN_SAMPLE = 20;
export const OUTLIER_SAMPLE = 1000;
export const OUTLIER_DAYS = 30;

export type SignalKind = "bot_click" | "fast_conversion" | "same_ip" | "value_outlier";
export interface Signal { kind: SignalKind; label: string; detail: string }

export interface ValueStats { count: number; medianMinor: number; p95Minor: number }

export interface SignalInput {
  conversion: { createdAt: number; programValueMinor: number; currency: string };
  click: { createdAt: number; isBot: boolean; botReason: string | null; ipHash: string | null } | null;
  /** Conversions (this one included) whose click has the same IP hash. */
  sameIpCount: number;
  programValues: ValueStats | null;
}

/** Median and p95 (nearest rank) of a sample of amounts. */
export function valueStats(values: number[]): ValueStats {
  const v = values.toSorted((a, b) => a - b);
  const rank = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))] ?? 0;
  const mid = v.length % 2 ? v[(v.length - 1) / 2]! : v.length ? Math.round((v[v.length / 2 - 1]! + v[v.length / 2]!) / 2) : 0;
  return { count: v.length, medianMinor: mid, p95Minor: rank(0.95) };
}

const BOT_WORDS: Record<string, string> = {
  head_request: "a HEAD request (a link checker, not a browser)",
  prefetch: "a prefetch / link preview",
  no_user_agent: "no user agent",
  bot_user_agent: "a known bot or preview user agent",
};

export function fraudSignals(i: SignalInput, money: (minor: number) => string = String): Signal[] {
  const out: Signal[] = [];
  if (i.click?.isBot) {
    out.push({ kind: "bot_click", label: "Bot click", detail: `The click was flagged as ${BOT_WORDS[i.click.botReason ?? ""] ?? "a bot"}; bot clicks are never credited.` });
  }
  if (i.click && !i.click.isBot) {
    const gapMs = i.conversion.createdAt - i.click.createdAt;
    const seconds = Math.floor(gapMs / 1000);
    if (gapMs >= 0 && gapMs < FAST_SECONDS * 1000) {
      out.push({ kind: "fast_conversion", label: `Fast: ${seconds}s`, detail: `Only ${seconds} seconds from click to conversion (under ${FAST_SECONDS}s is unusual for a real purchase).` });
    }
  }
  if (i.click?.ipHash && i.sameIpCount >= SAME_IP_MIN) {
    out.push({ kind: "same_ip", label: `Same IP ×${i.sameIpCount}`, detail: `${i.sameIpCount} conversions came from clicks with this IP on the same day.` });
  }
  const s = i.programValues;
  if (s && s.count >= OUTLIER_MIN_SAMPLE && i.conversion.programValueMinor > s.p95Minor
    && i.conversion.programValueMinor >= OUTLIER_MEDIAN_FACTOR * s.medianMinor) {
    out.push({ kind: "value_outlier", label: "Large order", detail: `Order value ${money(i.conversion.programValueMinor)} is above the program's 95th percentile (${money(s.p95Minor)}) and ${OUTLIER_MEDIAN_FACTOR}× or more its median (${money(s.medianMinor)}) over the last ${OUTLIER_DAYS} days.` });
  }
  return out;
}
