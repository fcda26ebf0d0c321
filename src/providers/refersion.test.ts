import { describe, expect, test } from "bun:test";
import { bytes, CLICK, fixture, flipOneByte, rawRequest, sign } from "./fixtures/helpers";
import { refersion } from "./refersion";
import type { NormalizedConversion, ParseResult, RawRequest } from "./types";

const SECRET = "rfsn_whsec_8Jd2kQ";
const req = (name: string, headers: Record<string, string> = {}) =>
  rawRequest({ body: fixture("refersion", name), headers: { "content-type": "application/json", ...headers } });
const signed = (name: string, headers: Record<string, string> = {}) => {
  const body = fixture("refersion", name);
  return rawRequest({ body, headers: { "content-type": "application/json", "refersion-signature": sign(body, SECRET), ...headers } });
};
const conv = (r: ParseResult): NormalizedConversion => {
  if (!("conversion" in r)) throw new Error(JSON.stringify(r));
  return r.conversion;
};

describe("refersion.verify", () => {
  const body = fixture("refersion", "new-conversion.json");
  test.each<[string, RawRequest, string | null]>([
    ["Refersion-Signature base64", rawRequest({ body, headers: { "Refersion-Signature": sign(body, SECRET) } }), null],
    ["X-RFC-Signature hex", rawRequest({ body, headers: { "X-RFC-Signature": sign(body, SECRET, "hex") } }), null],
    ["X-RFC-Signature base64", rawRequest({ body, headers: { "X-RFC-Signature": sign(body, SECRET) } }), null],
    ["Refersion-Signature hex", rawRequest({ body, headers: { "Refersion-Signature": sign(body, SECRET, "hex") } }), null],
    ["missing signature", rawRequest({ body }), "missing signature"],
    ["empty signature header", rawRequest({ body, headers: { "Refersion-Signature": "" } }), "missing signature"],
    ["wrong secret", rawRequest({ body, headers: { "Refersion-Signature": sign(body, "nope") } }), "bad signature"],
    ["tampered body (one byte)", rawRequest({ body: flipOneByte(body), headers: { "Refersion-Signature": sign(body, SECRET) } }), "bad signature"],
    ["tampered last byte", rawRequest({ body: flipOneByte(body, body.length - 2), headers: { "Refersion-Signature": sign(body, SECRET) } }), "bad signature"],
    ["signature of re-serialised JSON", rawRequest({ body, headers: { "Refersion-Signature": sign(JSON.stringify(JSON.parse(new TextDecoder().decode(body))), SECRET) } }), "bad signature"],
    ["truncated signature", rawRequest({ body, headers: { "Refersion-Signature": sign(body, SECRET).slice(0, 20) } }), "bad signature"],
  ])("%s", (_n, r, reason) => {
    expect(refersion.verify(r, { secret: SECRET })).toEqual(reason === null ? { ok: true } : { ok: false, reason });
  });
  test("no secret configured fails closed", () => {
    expect(refersion.verify(signed("new-conversion.json"), {})).toEqual({ ok: false, reason: "no signing secret configured" });
  });
  test("identifies by signature, not by a body value", () => expect(refersion.identify(signed("new-conversion.json"))).toBeNull());
});

describe("refersion.parse", () => {
  test("new conversion", () => {
    expect(conv(refersion.parse(req("new-conversion.json", { "Refersion-Topic": "NEW_CONVERSION" })))).toEqual({
      orderRef: "5530283245823", amount: "59.00", currency: "USD", clickRef: CLICK, status: "pending", isTest: false,
      platformCommission: "5.90", occurredAt: Date.UTC(2026, 4, 14, 18, 48, 42), dedupeKey: null, topic: "NEW_CONVERSION",
    });
  });

  test.each([
    ["pending", "new-conversion.json", "pending"],
    ["approved re-delivery", "approved-conversion.json", "approved"],
    ["denied re-delivery", "denied-conversion.json", "reversed"],
  ])("status: %s", (_n, file, status) => {
    const c = conv(refersion.parse(req(file as string)));
    expect(c.status).toBe(status as NormalizedConversion["status"]);
    expect(c.orderRef).toBe("5530283245823"); // same key, so the stored row is updated
  });

  test.each([["PENDING", "pending"], ["APPROVED", "approved"], ["DENIED", "reversed"], ["UNQUALIFIED", "reversed"], ["approved", "approved"]])(
    "status word %s -> %s", (word, status) => {
      const body = bytes(JSON.stringify({ order_id: "1", total: "5.00", currency: "USD", status: word }));
      expect(conv(refersion.parse(rawRequest({ body }))).status).toBe(status as NormalizedConversion["status"]);
    },
  );

  test("test conversion: flag, TEST order id and 0.01 all set, click null", () => {
    const c = conv(refersion.parse(req("test-conversion.json")));
    expect(c).toMatchObject({ isTest: true, orderRef: "TEST-1001", amount: "0.01", clickRef: null });
  });

  test("JSON numbers keep their text, lower-case currency, top-level sub_id, id stored verbatim", () => {
    const c = conv(refersion.parse(req("numbers-lowercase-topsub.json")));
    expect(c).toMatchObject({
      amount: "120.50", platformCommission: "12.05", currency: "eur", clickRef: "0196d3a2-9d10-7b22-8c11-aa00bb11cc22",
      orderRef: "<b>1002</b>' OR 1=1 --", occurredAt: Date.UTC(2026, 4, 15, 7, 12), status: "approved",
    });
  });

  test.each([["null", "null"], ["blank", '""']])("conversion id when order_id is %s", (_n, v) => {
    const body = bytes(`{"id":48210937,"order_id":${v},"total":"10.00","currency":"USD","status":"PENDING"}`);
    expect(conv(refersion.parse(rawRequest({ body }))).orderRef).toBe("48210937");
  });

  test.each([
    ["affiliate topic", "AFFILIATE_STATUS_CHANGE"],
    ["new affiliate", "NEW_AFFILIATE"],
    ["conversion trigger", "NEW_CONVERSION_TRIGGER"],
    ["payment", "NEW_PAYMENT"],
  ])("ignores %s", (_n, topic) => {
    const r = refersion.parse(req("affiliate-status-change.json", { "Refersion-Topic": topic as string }));
    expect(r).toEqual({ ok: true, ignore: `refersion topic ${topic} carries no conversion` });
  });

  test.each([
    ["not JSON", "order_id=1&total=5", ["body is not valid JSON"]],
    ["JSON array", '[{"order_id":"1"}]', ["body is not a JSON object"]],
    ["empty", "", ["body is empty (a JSON object is required)"]],
    ["no order id at all", '{"total":"5.00","currency":"USD"}', ["missing order id (order_id)"]],
    ["negative total", '{"order_id":"1","total":"-5.00","currency":"USD"}', ["amount (total) must not be negative"]],
    ["absurd total", '{"order_id":"1","total":"99999999999999","currency":"USD"}', ["amount (total) is implausibly large"]],
    ["total as words", '{"order_id":"1","total":"five","currency":"USD"}', ['amount (total) "five" must be a decimal number like 59.00']],
    ["no currency", '{"order_id":"1","total":"5.00"}', ["missing currency (currency)"]],
    ["unknown status", '{"order_id":"1","total":"5.00","currency":"USD","status":"PAID_OUT"}', ['status (status) "PAID_OUT" is not recognised']],
    ["bad created", '{"order_id":"1","total":"5.00","currency":"USD","created":"soon"}', ['created "soon" is not a timestamp (ISO 8601, unix seconds or milliseconds)']],
  ])("rejects %s", (_n, text, reasons) => {
    expect(refersion.parse(rawRequest({ body: bytes(text as string) }))).toEqual({ ok: false, reasons: reasons as string[] });
  });

  test("adapter facts", () => {
    expect([refersion.name, refersion.methods, refersion.duplicateStatus]).toEqual(["refersion", ["POST"], 409]);
  });
});
