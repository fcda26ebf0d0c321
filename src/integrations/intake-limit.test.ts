import { describe, expect, test } from "bun:test";
import { IntakeLimiter } from "./intake-limit";

describe("IntakeLimiter (failed-authentication token bucket per source)", () => {
  test("a burst, then Retry-After until a token is back; refill is by elapsed time", () => {
    const l = new IntakeLimiter({ perMinute: 6, burst: 3 }); // one token per 10 s
    for (let i = 0; i < 3; i++) { expect(l.retryAfter("a", 0)).toBe(0); l.spend("a", 0); }
    expect(l.retryAfter("a", 0)).toBe(10);
    expect(l.retryAfter("a", 4_000)).toBe(6);
    expect(l.retryAfter("a", 10_000)).toBe(0);
    expect(l.retryAfter("b", 0)).toBe(0); // another source has its own bucket
  });

  test("IPv6 sources share a bucket per /64, whichever way the address is written", () => {
    const l = new IntakeLimiter({ perMinute: 1, burst: 2 });
    l.spend("2001:db8:1:2::1", 0);
    l.spend("2001:0db8:0001:0002:ffff:0:0:9", 0);
    expect(l.retryAfter("2001:db8:1:2:abcd::7", 0)).toBeGreaterThan(0);
    expect(l.retryAfter("2001:db8:1:3::1", 0)).toBe(0);
  });

  test("memory is bounded: past maxSources, quiet buckets are forgotten and new sources share one", () => {
    const l = new IntakeLimiter({ perMinute: 60, burst: 1, maxSources: 3 });
    for (const s of ["a", "b", "c"]) l.spend(s, 0);
    l.spend("d", 0); // nothing refilled yet: d goes to the shared bucket
    expect(l.size).toBe(4);
    expect(l.retryAfter("e", 0)).toBeGreaterThan(0); // e is counted with d
    l.spend("f", 60_000); // a minute later a, b, c are full again and forgotten
    expect(l.size).toBeLessThanOrEqual(3);
    expect(l.retryAfter("a", 60_000)).toBe(0);
  });
});
