import { isIPv6 } from "node:net";

export interface IntakeLimits {
  /** Tokens refilled per minute per source. */
  perMinute: number;
  /** Bucket size: failed requests a quiet source may send at once. */
  burst: number;
  /** Sources tracked at most; beyond it new sources share one bucket (memory stays bounded). */
  maxSources?: number;
}

const OVERFLOW = "*";

/**
 * A per-source token bucket for the intake endpoints (/api/conv and the
 * platform webhook), in memory. Only requests that FAIL authentication spend
 * tokens, so a source that authenticates never runs its bucket down; while a
 * source's bucket is empty the intake does only work of bounded cost for it
 * (one credential check, or INTAKE_LIMITED_CHECKS for a webhook that names no
 * integration: see VerifiedMemory) and answers 429 with Retry-After when that
 * fails. A platform behind the same address as a flooding client still gets
 * through when its request names its integration (&i=), carries an identifying
 * credential, or is signed for an integration that recently verified; see the
 * README (Security and limits).
 */
export class IntakeLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  private readonly maxSources: number;
  private lastSweep = -Infinity;
  constructor(private limits: IntakeLimits) {
    this.maxSources = limits.maxSources ?? 100_000;
  }

  /** Seconds until this source may fail again; 0 while it still has tokens. */
  retryAfter(source: string, now: number): number {
    const b = this.bucket(source, now, false);
    if (!b || b.tokens >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - b.tokens) * 60) / this.limits.perMinute));
  }

  /** One failed-authentication request from this source. */
  spend(source: string, now: number): void {
    const b = this.bucket(source, now, true)!;
    b.tokens = Math.max(0, b.tokens - 1);
  }

  private bucket(source: string, now: number, create: boolean) {
    let key = this.keyOf(source);
    let b = this.buckets.get(key);
    // At most one sweep a second: under a many-source flood each spend must stay O(1).
    if (!b && create && this.buckets.size >= this.maxSources && now - this.lastSweep >= 1000) this.sweep(now);
    if (!b && this.buckets.size >= this.maxSources) b = this.buckets.get((key = OVERFLOW));
    if (!b) {
      if (!create) return undefined;
      this.buckets.set(key, (b = { tokens: this.limits.burst, at: now }));
    }
    if (now > b.at) {
      b.tokens = Math.min(this.limits.burst, b.tokens + ((now - b.at) * this.limits.perMinute) / 60_000);
      b.at = now;
    }
    return b;
  }

  get size(): number { return this.buckets.size; }

  /** IPv6 sources are grouped by /64: one host usually owns the whole prefix. */
  keyOf(source: string): string {
    if (!isIPv6(source)) return source;
    const [head = "", tail = ""] = source.toLowerCase().split("::");
    const left = head ? head.split(":") : [];
    const right = tail ? tail.split(":") : [];
    const groups = source.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
    return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
  }

  /** Full buckets carry no information: forget them. */
  private sweep(now: number) {
    this.lastSweep = now;
    for (const [key, b] of this.buckets) {
      if (Math.min(this.limits.burst, b.tokens + ((now - b.at) * this.limits.perMinute) / 60_000) >= this.limits.burst) this.buckets.delete(key);
    }
  }
}
