import { describe, expect, test } from "bun:test";
import { computeInvoice, computePayout, groupByPartyCurrency, thresholdMinor, type PayoutInput, type PayoutStatus } from "./compute";

const base: PayoutInput = { publisherId: "p1", currency: "USD", programs: [], adjustments: [], carriedInMinor: 0, thresholdMinor: 5000, hasValidMethod: true };
const prog = (payoutMinor: number, conversions = 1, programId = "g1") => ({ programId, name: `Program ${programId}`, conversions, payoutMinor });
const adj = (payoutMinor: number) => ({ conversionId: "c9", programId: "g1", description: "Reversal of ORDER-9", payoutMinor });

describe("computePayout", () => {
  test.each([
    ["exactly the threshold is paid", { programs: [prog(5000)] }, 5000, "scheduled"],
    ["one cent below is carried", { programs: [prog(4999)] }, 4999, "carried"],
    ["carried balance lifts it over", { programs: [prog(3000)], carriedInMinor: 2000 }, 5000, "scheduled"],
    ["negative after a reversal is carried", { programs: [], adjustments: [adj(-1200)] }, -1200, "carried"],
    ["negative carried eats into earnings", { programs: [prog(6000)], carriedInMinor: -1200 }, 4800, "carried"],
    ["zero is carried (nothing to pay)", { programs: [] }, 0, "carried"],
    ["no valid method -> on hold", { programs: [prog(9000)], hasValidMethod: false }, 9000, "on_hold"],
    ["below threshold without method is just carried", { programs: [prog(100)], hasValidMethod: false }, 100, "carried"],
    ["per-publisher threshold of 0.01", { programs: [prog(1)], thresholdMinor: 1 }, 1, "scheduled"],
    ["several programs and an adjustment", { programs: [prog(4000, 2, "a"), prog(2500, 1, "b")], adjustments: [adj(-500)] }, 6000, "scheduled"],
  ] as [string, Partial<PayoutInput>, number, PayoutStatus][])("%s", (_name, over, amount, status) => {
    const r = computePayout({ ...base, ...over });
    expect(r.amountMinor).toBe(amount);
    expect(r.status).toBe(status);
    // The total is always the sum of the stored lines.
    expect(r.lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(r.amountMinor);
    expect(r.earnedMinor + r.adjustmentsMinor + r.carriedInMinor).toBe(r.amountMinor);
  });

  test("lines: one per program, per adjustment, and the carried balance", () => {
    const r = computePayout({ ...base, programs: [prog(4000, 3, "a"), prog(2500, 1, "b")], adjustments: [adj(-500)], carriedInMinor: 700 });
    expect(r.lines.map((l) => [l.kind, l.amountMinor])).toEqual([["program", 4000], ["program", 2500], ["adjustment", -500], ["carried", 700]]);
    expect(r.conversions).toBe(4);
  });
});

describe("computeInvoice", () => {
  test("brand owes payouts + fee; unattributed conversions are the fee alone", () => {
    const r = computeInvoice({
      brandId: "b1", currency: "USD", adjustments: [],
      programs: [
        { programId: "g1", name: "Tents", conversions: 3, grossMinor: 30000, payoutsMinor: 2400, feeMinor: 600 },
        // Only unattributed conversions: payout 0, the fee still applies.
        { programId: "g2", name: "Boots", conversions: 2, grossMinor: 10000, payoutsMinor: 0, feeMinor: 200 },
      ],
    });
    expect(r.lines.map((l) => [l.description, l.amountMinor])).toEqual([["Boots", 200], ["Tents", 3000]]);
    expect(r).toMatchObject({ conversions: 5, grossMinor: 40000, payoutsMinor: 2400, feeMinor: 800, adjustmentsMinor: 0, totalMinor: 3200 });
  });

  test("a reversal after settlement is a negative adjustment line", () => {
    const r = computeInvoice({
      brandId: "b1", currency: "EUR",
      programs: [{ programId: "g1", name: "Tents", conversions: 1, grossMinor: 9900, payoutsMinor: 792, feeMinor: 198 }],
      adjustments: [{ conversionId: "c1", programId: "g1", description: "Reversal of ORDER-1 (refund)", grossMinor: -9900, payoutsMinor: -792, feeMinor: -198 }],
    });
    expect(r.lines.map((l) => [l.kind, l.amountMinor])).toEqual([["program", 990], ["adjustment", -990]]);
    expect(r.totalMinor).toBe(0);
    expect(r.adjustmentsMinor).toBe(-990);
  });

  test("only adjustments: a credit (negative total)", () => {
    const r = computeInvoice({ brandId: "b1", currency: "USD", programs: [], adjustments: [{ conversionId: "c1", programId: "g1", description: "Reversal", grossMinor: -100, payoutsMinor: -8, feeMinor: -2 }] });
    expect(r.totalMinor).toBe(-10);
    expect(r.conversions).toBe(0);
  });

  test("totals equal the sum of the line amounts (no rounding between them)", () => {
    const programs = Array.from({ length: 7 }, (_, k) => ({ programId: `g${k}`, name: `P${k}`, conversions: k + 1, grossMinor: 333 * k + 1, payoutsMinor: 267 * k + 3, feeMinor: 67 * k + 1 }));
    const r = computeInvoice({ brandId: "b", currency: "USD", programs, adjustments: [] });
    expect(r.totalMinor).toBe(r.lines.reduce((s, l) => s + l.amountMinor, 0));
    expect(r.totalMinor).toBe(r.payoutsMinor + r.feeMinor);
  });
});

describe("currencies are never added", () => {
  test("grouping keeps each party's currencies apart", () => {
    const rows = [
      { pub: "p1", currency: "USD", v: 1 }, { pub: "p1", currency: "EUR", v: 2 }, { pub: "p1", currency: "USD", v: 3 }, { pub: "p2", currency: "USD", v: 4 },
    ];
    const g = [...groupByPartyCurrency(rows, (r) => r.pub).values()].map((x) => [x.party, x.currency, x.rows.map((r) => r.v)]);
    expect(g).toEqual([["p1", "USD", [1, 3]], ["p1", "EUR", [2]], ["p2", "USD", [4]]]);
  });

  test.each([["50.00", "USD", 5000], ["50", "JPY", 50], ["50.00", "KWD", 50000], ["0.01", "EUR", 1], ["100", "GBP", 10000]])("threshold %s %s = %d minor", (thr, cur, minor) => {
    expect(thresholdMinor(thr, cur)).toBe(minor);
  });
});
