import { describe, expect, test } from "bun:test";
import { bytes, CLICK, fixture, flipOneByte, rawRequest, sign } from "./fixtures/helpers";
import type { NormalizedConversion, ParseResult, RawRequest } from "./types";
import { woocommerce } from "./woocommerce";

const SECRET = "wc_secret_Kq8!x2";
const delivery = (name: string, topic = "order.created", extra: Record<string, string> = {}) => {
  const body = fixture("woocommerce", name);
  return rawRequest({
    body,
    headers: {
      "content-type": "application/json", "x-wc-webhook-source": "https://shop.example/", "x-wc-webhook-topic": topic,
      "x-wc-webhook-resource": "order", "x-wc-webhook-event": topic.split(".")[1] ?? "", "x-wc-webhook-signature": sign(body, SECRET),
      "x-wc-webhook-id": "17", "x-wc-webhook-delivery-id": "a1b2c3d4e5f6", ...extra,
    },
  });
};
const ping = () => rawRequest({ body: fixture("woocommerce", "ping.txt"), headers: { "content-type": "application/x-www-form-urlencoded" } });
const conv = (r: ParseResult): NormalizedConversion => {
  if (!("conversion" in r)) throw new Error(JSON.stringify(r));
  return r.conversion;
};
const unsigned = (r: RawRequest): RawRequest => {
  const headers = { ...r.headers };
  delete headers["x-wc-webhook-signature"];
  return { ...r, headers };
};

describe("woocommerce.verify", () => {
  const good = delivery("order-created.json");
  test.each<[string, RawRequest, string | null]>([
    ["base64 HMAC of the raw body", good, null],
    ["hex accepted too", { ...good, headers: { ...good.headers, "x-wc-webhook-signature": sign(good.body, SECRET, "hex") } }, null],
    ["missing signature", unsigned(good), "missing signature"],
    ["wrong secret", { ...good, headers: { ...good.headers, "x-wc-webhook-signature": sign(good.body, "other") } }, "bad signature"],
    ["one byte changed", { ...good, body: flipOneByte(good.body) }, "bad signature"],
    ["the unsigned save ping", ping(), null],
    ["a ping-like body with extra fields is not a ping", rawRequest({ body: bytes("webhook_id=17&id=1&total=5") }), "missing signature"],
    ["JSON with webhook_id is not a ping", rawRequest({ body: bytes('{"webhook_id":17}') }), "missing signature"],
  ])("%s", (_n, r, reason) => {
    expect(woocommerce.verify(r, { secret: SECRET })).toEqual(reason === null ? { ok: true } : { ok: false, reason });
  });
  test("identify is null (by signature)", () => expect(woocommerce.identify(good)).toBeNull());
});

describe("woocommerce.parse", () => {
  test("order.created, processing", () => {
    expect(conv(woocommerce.parse(delivery("order-created.json")))).toEqual({
      orderRef: "7314", amount: "54.95", currency: "EUR", clickRef: CLICK, status: "pending", isTest: false,
      platformCommission: null, occurredAt: Date.UTC(2026, 4, 14, 18, 48, 42), dedupeKey: "a1b2c3d4e5f6", topic: "order.created",
    });
  });

  test.each([
    ["completed", "order-updated-completed.json", "approved"],
    ["refunded", "order-updated-refunded.json", "reversed"],
  ])("order.updated %s -> %s, same key", (_n, file, status) => {
    const c = conv(woocommerce.parse(delivery(file as string, "order.updated")));
    expect([c.orderRef, c.status]).toEqual(["7314", status as NormalizedConversion["status"]]);
  });

  test.each([
    ["completed", "approved"], ["processing", "pending"], ["on-hold", "pending"], ["pending", "pending"],
    ["refunded", "reversed"], ["cancelled", "reversed"], ["failed", "reversed"], ["trash", "reversed"],
    ["shipped (a plugin status)", "pending"],
  ])("status %s -> %s", (wc, status) => {
    const body = bytes(JSON.stringify({ id: 1, total: "5.00", currency: "USD", status: wc.split(" ")[0] }));
    const r = rawRequest({ body, headers: { "x-wc-webhook-signature": "x", "x-wc-webhook-topic": "order.updated" } });
    expect(conv(woocommerce.parse(r)).status).toBe(status as NormalizedConversion["status"]);
  });

  test("number total keeps its text, lower-case currency, meta key without underscore", () => {
    expect(conv(woocommerce.parse(delivery("order-lowercase-number-total.json")))).toMatchObject({
      orderRef: "7315", amount: "54.90", currency: "eur", clickRef: CLICK,
    });
  });

  test("the network's CLICK_PARAM is read from meta_data", () => {
    const order = { id: 2, total: "5.00", currency: "USD", status: "processing", meta_data: [{ key: "_irclickid", value: "abc" }, { key: "_lc_click", value: "def" }] };
    const r = rawRequest({ body: bytes(JSON.stringify(order)), headers: { "x-wc-webhook-signature": "x" } });
    expect(conv(woocommerce.parse(r, { clickParam: "irclickid" })).clickRef).toBe("abc");
    expect(conv(woocommerce.parse(r)).clickRef).toBe("def");
  });

  test("falls back to date_created when there is no GMT date", () => {
    const order = { id: 3, total: "5.00", currency: "USD", date_created: "2026-05-14T20:48:42" };
    const r = rawRequest({ body: bytes(JSON.stringify(order)), headers: { "x-wc-webhook-signature": "x" } });
    expect(conv(woocommerce.parse(r)).occurredAt).toBe(Date.UTC(2026, 4, 14, 20, 48, 42));
  });

  test("TEST order number or 0.01 total is a test", () => {
    const r = rawRequest({ body: bytes('{"id":9,"total":"0.01","currency":"USD"}'), headers: { "x-wc-webhook-signature": "x" } });
    expect(conv(woocommerce.parse(r)).isTest).toBe(true);
  });

  test("the save ping is ignored", () => expect(woocommerce.parse(ping())).toEqual({ ok: true, ignore: "woocommerce ping" }));

  test("an unsigned order is never a conversion, even if parse is called", () => {
    expect(woocommerce.parse(unsigned(delivery("order-created.json")))).toEqual({ ok: false, reasons: ["unsigned request"] });
  });

  test("a ping cannot carry an order: the ping body has no room for one", () => {
    const smuggle = rawRequest({ body: bytes("webhook_id=17\n{\"id\":1,\"total\":\"5.00\",\"currency\":\"USD\"}") });
    expect(woocommerce.verify(smuggle, { secret: SECRET }).ok).toBe(false);
    expect(woocommerce.parse(smuggle)).toEqual({ ok: false, reasons: ["unsigned request"] });
  });

  test.each([
    ["product.updated", "woocommerce topic product.updated carries no order"],
    ["customer.created", "woocommerce topic customer.created carries no order"],
  ])("ignores %s", (topic, reason) => {
    expect(woocommerce.parse(delivery("order-created.json", topic))).toEqual({ ok: true, ignore: reason });
  });

  test("order.deleted is ignored (it carries only the id)", () => {
    const body = bytes('{"id":7314}');
    const r = rawRequest({ body, headers: { "x-wc-webhook-signature": sign(body, SECRET), "x-wc-webhook-topic": "order.deleted" } });
    expect(woocommerce.parse(r)).toMatchObject({ ok: true, ignore: expect.stringContaining("order.deleted") });
  });

  test("a checkout draft is not an order yet", () => {
    expect(woocommerce.parse(delivery("checkout-draft.json"))).toMatchObject({ ok: true, ignore: expect.stringContaining("draft") });
  });

  test.each([
    ["not JSON", "id=1&total=5", ["body is not valid JSON"]],
    ["no id or number", '{"total":"5.00","currency":"USD"}', ["missing order id (id)"]],
    ["negative total", '{"id":1,"total":"-5.00","currency":"USD"}', ["amount (total) must not be negative"]],
    ["absurd total", '{"id":1,"total":"1e14","currency":"USD"}', ["amount (total) is implausibly large"]],
    ["bad currency", '{"id":1,"total":"5.00","currency":"€"}', ['currency (currency) "€" is not an ISO 4217 code']],
  ])("rejects %s", (_n, body, reasons) => {
    const r = rawRequest({ body: bytes(body as string), headers: { "x-wc-webhook-signature": "x", "x-wc-webhook-topic": "order.created" } });
    expect(woocommerce.parse(r)).toEqual({ ok: false, reasons: reasons as string[] });
  });

  test("adapter facts", () => {
    expect([woocommerce.name, woocommerce.methods, woocommerce.duplicateStatus]).toEqual(["woocommerce", ["POST"], 200]);
  });
});
