import { describe, expect, test } from "bun:test";
import { buildConversion, type Draft } from "./conversion";

const base: Draft = {
  orderRef: { name: "order_id", value: "A-1" },
  amount: { name: "total", value: "59.00" },
  currency: { name: "currency", value: "USD" },
  clickRef: { name: "sub_id", value: "c1" },
  commission: { name: "commission_total", value: "5.90" },
  occurredAt: { name: "created", value: "2026-05-14 18:48:42" },
  status: "pending",
  testFlag: false,
};
const draft = (over: Partial<Record<"orderRef" | "amount" | "currency" | "clickRef" | "commission" | "occurredAt", unknown>>, rest: Partial<Draft> = {}): Draft => {
  const d: Draft = { ...base, ...rest };
  for (const [k, v] of Object.entries(over)) (d as unknown as Record<string, unknown>)[k] = { name: (base as unknown as Record<string, { name: string }>)[k]!.name, value: v };
  return d;
};
const ok = (d: Draft) => {
  const r = buildConversion(d);
  if (!("conversion" in r)) throw new Error(`expected a conversion, got ${JSON.stringify(r)}`);
  return r.conversion;
};
const reasons = (d: Draft) => {
  const r = buildConversion(d);
  if (r.ok) throw new Error(`expected rejection, got ${JSON.stringify(r)}`);
  return r.reasons;
};

describe("buildConversion: the happy path", () => {
  test("all fields", () => {
    expect(ok(base)).toEqual({
      orderRef: "A-1", amount: "59.00", currency: "USD", clickRef: "c1", status: "pending", isTest: false,
      platformCommission: "5.90", occurredAt: Date.UTC(2026, 4, 14, 18, 48, 42), dedupeKey: null, topic: null,
    });
  });
  test.each([
    ["amount text kept exactly", { amount: "59.000" }, "amount", "59.000"],
    ["amount whitespace trimmed", { amount: " 59.00 " }, "amount", "59.00"],
    ["zero amount allowed", { amount: "0" }, "amount", "0"],
    ["exponent accepted", { amount: "1.5e2" }, "amount", "1.5e2"],
    ["lower-case currency kept as sent", { currency: "eur" }, "currency", "eur"],
    ["no click", { clickRef: null }, "clickRef", null],
    ["macro click", { clickRef: "{SubId1}" }, "clickRef", null],
    ["%s click", { clickRef: "%s" }, "clickRef", null],
    ["no commission", { commission: undefined }, "platformCommission", null],
    ["no timestamp", { occurredAt: null }, "occurredAt", null],
    ["macro timestamp ignored", { occurredAt: "{EventDate}" }, "occurredAt", null],
    ["HTML and SQL in an id kept verbatim", { orderRef: `<script>x</script>' OR 1=1; --` }, "orderRef", `<script>x</script>' OR 1=1; --`],
    ["id of exactly 200 chars", { orderRef: "x".repeat(200) }, "orderRef", "x".repeat(200)],
  ])("%s", (_n, over, key, expected) => {
    expect(ok(draft(over))[key as keyof ReturnType<typeof ok>]).toEqual(expected as never);
  });
});

describe("buildConversion: test conversions", () => {
  test.each([
    ["platform flag", true, draft({}, { testFlag: true })],
    ["order id TEST-", true, draft({ orderRef: "TEST-1" })],
    ["order id test_ lower case", true, draft({ orderRef: "test_1" })],
    ["order id containing test later", false, draft({ orderRef: "A-TEST" })],
    ["amount 0.01", true, draft({ amount: "0.01" })],
    ["amount 0.010", true, draft({ amount: "0.010" })],
    ["amount 1e-2", true, draft({ amount: "1e-2" })],
    ["amount 0.1", false, draft({ amount: "0.1" })],
    ["amount 1.01", false, draft({ amount: "1.01" })],
    ["amount 0.011", false, draft({ amount: "0.011" })],
    ["ordinary", false, base],
  ])("%s -> %p", (_n, expected, d) => expect(ok(d as Draft).isTest).toBe(expected as boolean));
});

describe("buildConversion: rejections name the field", () => {
  test.each([
    ["missing order id", { orderRef: undefined }, "missing order id (order_id)"],
    ["blank order id", { orderRef: "  " }, "missing order id (order_id)"],
    ["macro order id", { orderRef: "{OrderId}" }, "order id (order_id) is an unreplaced macro {OrderId}"],
    ["order id too long", { orderRef: "x".repeat(201) }, "order id (order_id) is longer than 200 characters"],
    ["click id too long", { clickRef: "c".repeat(201) }, "click id (sub_id) is longer than 200 characters"],
    ["missing amount", { amount: null }, "missing amount (total)"],
    ["macro amount", { amount: "{Amount}" }, "amount (total) is an unreplaced macro {Amount}"],
    ["amount with currency sign", { amount: "$59.00" }, 'amount (total) "$59.00" must be a decimal number like 59.00'],
    ["amount with thousands separator", { amount: "1,059.00" }, 'amount (total) "1,059.00" must be a decimal number like 59.00'],
    ["amount as words", { amount: "fifty" }, 'amount (total) "fifty" must be a decimal number like 59.00'],
    ["NaN", { amount: "NaN" }, 'amount (total) "NaN" must be a decimal number like 59.00'],
    ["negative amount", { amount: "-59.00" }, "amount (total) must not be negative"],
    ["absurd amount", { amount: "10000000000000.01" }, "amount (total) is implausibly large"],
    ["absurd exponent", { amount: "1e400" }, "amount (total) is implausibly large"],
    ["negative commission", { commission: "-1" }, "commission (commission_total) must not be negative"],
    ["bad commission", { commission: "five" }, 'commission (commission_total) "five" must be a decimal number like 59.00'],
    ["missing currency", { currency: "" }, "missing currency (currency)"],
    ["unknown currency", { currency: "XYZ" }, 'currency (currency) "XYZ" is not an ISO 4217 code'],
    ["currency symbol", { currency: "$" }, 'currency (currency) "$" is not an ISO 4217 code'],
    ["bad timestamp", { occurredAt: "last tuesday" }, 'created "last tuesday" is not a timestamp (ISO 8601, unix seconds or milliseconds)'],
  ])("%s", (_n, over, reason) => {
    expect(reasons(draft(over))).toEqual([reason as string]);
  });
  test("amount at the limit is accepted", () => expect(ok(draft({ amount: "10000000000000" })).amount).toBe("10000000000000"));
  test("unknown status", () => {
    expect(reasons(draft({}, { status: { unknown: "MAYBE", name: "Status" } }))).toEqual(['status (Status) "MAYBE" is not recognised']);
  });
  test("every problem is reported at once", () => {
    expect(reasons(draft({ orderRef: null, amount: "-1", currency: "ZZZ" }))).toHaveLength(3);
  });
});
