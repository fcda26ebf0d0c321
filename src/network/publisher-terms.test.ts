import { expect, test } from "bun:test";
import { publisherTerms } from "./publisher-terms";

const program = (o: { type: "flat_cpa" | "percentage"; value: number; fee: number; currency?: string }) => ({
  id: "p", brandId: "b", name: "P", destUrl: "https://x.example", status: "active" as const, commissionType: o.type, commissionValue: o.value,
  currency: o.currency ?? "USD", cookieWindowDays: 30, networkFeeBps: o.fee, autoApproveDays: null, passThroughParams: false, attributes: "{}", createdAt: 0, updatedAt: 0,
});

test.each([
  ["flat 15.00, fee 20%", program({ type: "flat_cpa", value: 1500, fee: 2000 }), "12.00 USD per sale", true],
  ["flat 0.05, fee 25%: the fee rounds half away from zero (0.0125 -> 0.01)", program({ type: "flat_cpa", value: 5, fee: 2500 }), "0.04 USD per sale", true],
  ["flat JPY (no minor unit)", program({ type: "flat_cpa", value: 999, fee: 1000, currency: "JPY" }), "899 JPY per sale", true],
  ["10% less 20% = 8%", program({ type: "percentage", value: 1000, fee: 2000 }), "8% of the sale", true],
  ["7.5% less 15% = 6.375%: shown as about 6.38%", program({ type: "percentage", value: 750, fee: 1500 }), "6.38% of the sale", false],
  ["no fee", program({ type: "percentage", value: 1250, fee: 0 }), "12.5% of the sale", true],
] as const)("%s", (_name, p, text, exact) => {
  expect(publisherTerms(p)).toEqual({ text, exact });
});
