import { describe, expect, test } from "bun:test";
import { bytes, CLICK, fixture, flipOneByte, matcher, rawRequest } from "./fixtures/helpers";
import { generic } from "./generic";
import type { IntegrationSecrets, NormalizedConversion, ParseResult, RawRequest } from "./types";

const SECRET = "lc_whk_3f9a2b7c";
const SECRETS: IntegrationSecrets = { secretMatches: matcher(SECRET), vendorId: "acme-outdoor" };
const post = (body: Uint8Array | string, headers: Record<string, string> = { "x-lastclick-secret": SECRET }) =>
  rawRequest({ body: typeof body === "string" ? bytes(body) : body, headers: { "content-type": "application/json", ...headers } });
const conv = (r: ParseResult): NormalizedConversion => {
  if (!("conversion" in r)) throw new Error(JSON.stringify(r));
  return r.conversion;
};
const order = fixture("generic", "order.json");

describe("generic.verify", () => {
  test.each<[string, RawRequest, IntegrationSecrets, string | null]>([
    ["right secret", post(order), SECRETS, null],
    ["missing header", post(order, {}), SECRETS, "missing signature"],
    ["wrong secret", post(order, { "x-lastclick-secret": "nope" }), SECRETS, "bad secret"],
    ["no secret configured", post(order), { vendorId: "acme-outdoor" }, "no shared secret configured"],
    ["another vendor's body", post(order), { ...SECRETS, vendorId: "other-vendor" }, "vendor_id does not match the integration"],
    ["no vendor configured", post(order), { secretMatches: matcher(SECRET) }, null],
    ["body without vendor_id", post('{"order_id":"1"}'), SECRETS, null],
    ["a tampered body still carries the secret (the secret is not a signature)", post(flipOneByte(order)), { secretMatches: matcher(SECRET) }, null],
  ])("%s", (_n, r, secrets, reason) => {
    expect(generic.verify(r, secrets)).toEqual(reason === null ? { ok: true } : { ok: false, reason });
  });
});

describe("generic.identify: vendor_id from the body", () => {
  test.each([
    ["string", post(order), "acme-outdoor"],
    ["number", post(fixture("generic", "order-numbers.json")), "4471"],
    ["missing", post('{"order_id":"1"}'), null],
    ["not JSON", post("vendor_id=acme"), null],
    ["array", post('["acme"]'), null],
  ])("%s", (_n, r, expected) => expect(generic.identify(r as RawRequest)).toBe(expected as string | null));
});

describe("generic.parse", () => {
  test("the documented body", () => {
    expect(conv(generic.parse(post(order)))).toEqual({
      orderRef: "A-10042", amount: "129.95", currency: "USD", clickRef: CLICK, status: "pending", isTest: false,
      platformCommission: "13.00", occurredAt: Date.UTC(2026, 4, 14, 16, 48, 42), dedupeKey: null, topic: null,
    });
  });

  test("numbers keep their text; lower-case currency; ms timestamp; status", () => {
    expect(conv(generic.parse(post(fixture("generic", "order-numbers.json"))))).toMatchObject({
      orderRef: "10043", amount: "59.00", platformCommission: "5.9", currency: "usd", clickRef: null,
      occurredAt: 1778784522000, status: "approved",
    });
  });

  test("refund re-delivery: same key, reversed, zone-less time read as UTC", () => {
    const c = conv(generic.parse(post(fixture("generic", "refunded.json"))));
    expect([c.orderRef, c.status, c.occurredAt]).toEqual(["A-10042", "reversed", Date.UTC(2026, 4, 14, 16, 48, 42)]);
  });

  test("test order: flag, test_ id, 0.01, %s macro click", () => {
    expect(conv(generic.parse(post(fixture("generic", "test-order.json"))))).toMatchObject({
      isTest: true, clickRef: null, occurredAt: Date.UTC(2026, 4, 14),
    });
  });

  test.each([
    ["not JSON", "order_id=1", ["body is not valid JSON"]],
    ["empty", "", ["body is empty (a JSON object is required)"]],
    ["JSON string", '"hello"', ["body is not a JSON object"]],
    ["missing order_id", '{"order_total":"1.00","currency":"USD"}', ["missing order id (order_id)"]],
    ["missing order_total", '{"order_id":"1","currency":"USD"}', ["missing amount (order_total)"]],
    ["negative", '{"order_id":"1","order_total":-5,"currency":"USD"}', ["amount (order_total) must not be negative"]],
    ["absurd", '{"order_id":"1","order_total":1e15,"currency":"USD"}', ["amount (order_total) is implausibly large"]],
    ["boolean total", '{"order_id":"1","order_total":true,"currency":"USD"}', ["missing amount (order_total)"]],
    ["object order id", '{"order_id":{"x":1},"order_total":"1","currency":"USD"}', ["missing order id (order_id)"]],
    ["bad occurred_at", '{"order_id":"1","order_total":"1","currency":"USD","occurred_at":"13/13/2026"}', ['occurred_at "13/13/2026" is not a timestamp (ISO 8601, unix seconds or milliseconds)']],
    ["unknown status", '{"order_id":"1","order_total":"1","currency":"USD","status":"shipped-ish"}', ['status (status) "shipped-ish" is not recognised']],
    ["several at once", '{"order_total":"-1","currency":"US"}', [
      "missing order id (order_id)", "amount (order_total) must not be negative", 'currency (currency) "US" is not an ISO 4217 code',
    ]],
  ])("rejects %s", (_n, body, reasons) => {
    expect(generic.parse(post(body as string))).toEqual({ ok: false, reasons: reasons as string[] });
  });

  test("adapter facts", () => {
    expect([generic.name, generic.methods, generic.duplicateStatus]).toEqual(["generic", ["POST"], 409]);
  });
});
