import { describe, expect, test } from "bun:test";
import { computeCommission, type CommissionTerms } from "./compute-commission";

const pct = (bps: number, feeBps = 2000): CommissionTerms => ({ commissionType: "percentage", commissionValue: bps, networkFeeBps: feeBps });
const flat = (minor: number, feeBps = 2000): CommissionTerms => ({ commissionType: "flat_cpa", commissionValue: minor, networkFeeBps: feeBps });

describe("computeCommission", () => {
  test.each([
    ["flat CPA ignores order value", flat(1500), 99900, true, [1500, 300, 1200]],
    ["10% of 99.00", pct(1000), 9900, true, [990, 198, 792]],
    ["10% of 99.99 rounds half up to 10.00", pct(1000), 9999, true, [1000, 200, 800]],
    ["0.005 commission rounds to 0.01", pct(100), 50, true, [1, 0, 1]], // 1% of 0.50 = 0.005
    ["fee of 0.005 rounds to 0.01, payout absorbs", pct(1000, 2500), 2, true, [0, 0, 0]],
    ["fee rounding: 20% of 0.03 = 0.006 -> 0.01", flat(3), 0, true, [3, 1, 2]],
    ["zero order value", pct(1000), 0, true, [0, 0, 0]],
    ["zero commission rate", pct(0), 9900, true, [0, 0, 0]],
    ["zero fee", flat(1000, 0), 0, true, [1000, 0, 1000]],
    ["100% fee leaves nothing", flat(1000, 10000), 0, true, [1000, 1000, 0]],
    ["unattributed keeps the fee, pays nobody", pct(1000), 9900, false, [990, 198, 0]],
    ["huge order value stays exact", pct(1234), 999_999_999_999_999, true, [123_400_000_000_000, 24_680_000_000_000, 98_720_000_000_000]],
  ])("%s", (_name, terms, order, attributed, [c, f, p]) => {
    const r = computeCommission(terms as CommissionTerms, order as number, attributed as boolean);
    expect([r.commissionMinor, r.networkFeeMinor, r.publisherPayoutMinor]).toEqual([c!, f!, p!]);
    if (attributed) expect(r.networkFeeMinor + r.publisherPayoutMinor).toBe(r.commissionMinor);
  });
});
