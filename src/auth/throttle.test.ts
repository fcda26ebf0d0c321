import { describe, expect, test } from "bun:test";
import { afterFailure, delayFor, lockedFor, type ThrottlePolicy } from "./throttle";

const P: ThrottlePolicy = { maxFailures: 5, lockMs: 15 * 60_000, baseDelayMs: 250, ipFactor: 5 };
const T = 1_000_000;

describe("login throttle policy", () => {
  test.each([
    [1, 0], [2, 0], [3, 250], [4, 500], [5, 1000], [6, 2000], [20, 2000],
  ])("failure %i in a row waits %i ms (doubling from the third, capped at 8 x base)", (n, ms) => {
    expect(delayFor(n, P)).toBe(ms);
  });

  test("the delay never exceeds 8 s whatever the base", () => {
    expect(delayFor(30, { ...P, baseDelayMs: 5000 })).toBe(8000);
  });

  test("the failure that reaches the limit locks for the lock period", () => {
    let row = undefined as ReturnType<typeof afterFailure> | undefined;
    for (let i = 1; i <= 4; i++) { row = afterFailure(row, "k", T + i, 5, P); expect(row.lockedUntil).toBeNull(); }
    row = afterFailure(row, "k", T + 5, 5, P);
    expect(row.failures).toBe(5);
    expect(row.lockedUntil).toBe(T + 5 + P.lockMs);
    expect(lockedFor(row, T + 6)).toBe(P.lockMs - 1);
    expect(lockedFor(row, T + 5 + P.lockMs)).toBe(0);
  });

  test("a streak older than the lock period starts over; so does one whose lock has run out", () => {
    const old = { key: "k", failures: 4, lastFailureAt: T, lockedUntil: null };
    expect(afterFailure(old, "k", T + P.lockMs + 1, 5, P).failures).toBe(1);
    const expired = { key: "k", failures: 5, lastFailureAt: T, lockedUntil: T + 10 };
    expect(afterFailure(expired, "k", T + 11, 5, P)).toMatchObject({ failures: 1, lockedUntil: null });
  });

  test("no row: not locked", () => {
    expect(lockedFor(undefined, T)).toBe(0);
  });
});
