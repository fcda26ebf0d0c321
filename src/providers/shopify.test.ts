import { describe, expect, test } from "bun:test";
import { bytes, CLICK, fixture, flipOneByte, rawRequest, sign } from "./fixtures/helpers";
import { clickFromUrl, shopify } from "./shopify";
import type { NormalizedConversion, ParseResult, RawRequest } from "./types";

const SECRET = "shpss_7a1c9e2f4b6d8a0c";
const WEBHOOK_ID = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043";
const delivery = (name: string, topic = "orders/create", extra: Record<string, string> = {}) => {
  const body = fixture("shopify", name);
  return rawRequest({
    body,
    headers: {
      "content-type": "application/json", "x-shopify-topic": topic, "x-shopify-hmac-sha256": sign(body, SECRET),
      "x-shopify-shop-domain": "shop-example.myshopify.com", "x-shopify-webhook-id": WEBHOOK_ID, ...extra,
    },
  });
};
const conv = (r: ParseResult): NormalizedConversion => {
  if (!("conversion" in r)) throw new Error(JSON.stringify(r));
  return r.conversion;
};

describe("shopify.verify", () => {
  const good = delivery("orders-create.json");
  const withHeader = (r: RawRequest, value: string | null, body = r.body): RawRequest => {
    const headers = { ...r.headers };
    if (value === null) delete headers["x-shopify-hmac-sha256"]; else headers["x-shopify-hmac-sha256"] = value;
    return { ...r, headers, body };
  };
  test.each<[string, RawRequest, string | null]>([
    ["base64 HMAC of the raw body", good, null],
    ["hex is accepted too", withHeader(good, sign(good.body, SECRET, "hex")), null],
    ["missing header", withHeader(good, null), "missing signature"],
    ["wrong secret", withHeader(good, sign(good.body, "shpss_other")), "bad signature"],
    ["one byte changed", withHeader(good, sign(good.body, SECRET), flipOneByte(good.body)), "bad signature"],
    ["signature of a different order", withHeader(good, sign(fixture("shopify", "test-order.json"), SECRET)), "bad signature"],
  ])("%s", (_n, r, reason) => {
    expect(shopify.verify(r, { secret: SECRET })).toEqual(reason === null ? { ok: true } : { ok: false, reason });
  });
  test("identify is null (by signature)", () => expect(shopify.identify(good)).toBeNull());
});

describe("shopify.parse", () => {
  test("orders/create", () => {
    expect(conv(shopify.parse(delivery("orders-create.json")))).toEqual({
      orderRef: "820982911946154508", amount: "59.00", currency: "USD", clickRef: CLICK, status: "pending", isTest: false,
      platformCommission: null, occurredAt: Date.UTC(2026, 4, 14, 18, 48, 42), dedupeKey: WEBHOOK_ID, topic: "orders/create",
    });
  });

  test("an order id above 2^53 is kept exactly", () => {
    expect(conv(shopify.parse(delivery("orders-create.json"))).orderRef).not.toBe(String(820982911946154508));
  });

  test.each([
    ["paid order stays pending (approval is the network's review)", "orders-create.json", "orders/create", "pending"],
    ["paid via orders/paid", "orders-create.json", "orders/paid", "pending"],
    ["fully refunded via orders/updated", "orders-updated-refunded.json", "orders/updated", "reversed"],
    ["cancelled (cancelled_at, voided)", "orders-cancelled.json", "orders/cancelled", "reversed"],
    ["cancelled_at alone reverses on orders/updated", "orders-cancelled.json", "orders/updated", "reversed"],
  ])("%s", (_n, file, topic, status) => {
    const c = conv(shopify.parse(delivery(file as string, topic as string)));
    expect([c.orderRef, c.status]).toEqual(["820982911946154508", status as NormalizedConversion["status"]]);
  });

  test.each([
    ["paid", "pending"], ["pending", "pending"], ["authorized", "pending"], ["partially_paid", "pending"],
    ["partially_refunded", "pending"], ["refunded", "reversed"], ["voided", "reversed"],
  ])("financial_status %s -> %s", (fs, status) => {
    const body = bytes(JSON.stringify({ id: 1, total_price: "5.00", currency: "USD", financial_status: fs, cancelled_at: null }));
    expect(conv(shopify.parse(rawRequest({ body, headers: { "x-shopify-topic": "orders/updated" } }))).status)
      .toBe(status as NormalizedConversion["status"]);
  });

  test("test order: test flag, lower-case currency, no click in landing_site", () => {
    expect(conv(shopify.parse(delivery("test-order.json")))).toMatchObject({
      orderRef: "450789469", isTest: true, currency: "cad", clickRef: null, amount: "10.00",
    });
  });

  test("note_attributes beat landing_site", () => {
    expect(conv(shopify.parse(delivery("note-attributes.json"))).clickRef).toBe("0196d3a2-1111-7222-8333-444444444444");
  });

  test("the network's CLICK_PARAM is read from landing_site", () => {
    const order = { id: 7, total_price: "5.00", currency: "USD", landing_site: "/?irclickid=abc&lc_click=def" };
    const r = rawRequest({ body: bytes(JSON.stringify(order)), headers: { "x-shopify-topic": "orders/create" } });
    expect(conv(shopify.parse(r, { clickParam: "irclickid" })).clickRef).toBe("abc");
    expect(conv(shopify.parse(r)).clickRef).toBe("def");
  });

  test.each([
    ["path and query", "/products/x?lc_click=abc&utm=1", "abc"],
    ["absolute URL", "https://shop.example/?lc_click=abc", "abc"],
    ["encoded value", "/?lc_click=a%2Fb", "a/b"],
    ["fragment ignored", "/?lc_click=abc#top", "abc"],
    ["no query", "/products/x", null],
    ["other params only", "/?utm_source=x", null],
    ["unreplaced macro", "/?lc_click={click_id}", null],
  ])("clickFromUrl: %s", (_n, url, expected) => {
    expect(clickFromUrl(url as string, ["lc_click"])).toBe(expected as string | null);
  });

  test("refunds/create is ignored: it cannot tell a full refund from a partial one", () => {
    const r = shopify.parse(delivery("refunds-create.json", "refunds/create"));
    expect(r).toMatchObject({ ok: true, ignore: expect.stringContaining("orders/updated") });
  });

  test.each([["app/uninstalled"], ["customers/data_request"], ["products/update"]])("ignores %s", (topic) => {
    expect(shopify.parse(delivery("app-uninstalled.json", topic))).toEqual({ ok: true, ignore: `shopify topic ${topic} carries no order` });
  });

  test.each([
    ["not JSON", "id=1", ["body is not valid JSON"]],
    ["no id", '{"total_price":"5.00","currency":"USD"}', ["missing order id (id)"]],
    ["name when id is missing", '{"name":"#1001","total_price":"5.00","currency":"USD"}', null],
    ["negative total", '{"id":1,"total_price":"-5.00","currency":"USD"}', ["amount (total_price) must not be negative"]],
    ["absurd total", '{"id":1,"total_price":"10000000000001","currency":"USD"}', ["amount (total_price) is implausibly large"]],
    ["no currency", '{"id":1,"total_price":"5.00"}', ["missing currency (currency)"]],
  ])("parse: %s", (_n, body, reasons) => {
    const r = shopify.parse(rawRequest({ body: bytes(body as string), headers: { "x-shopify-topic": "orders/create" } }));
    if (reasons === null) expect(conv(r).orderRef).toBe("#1001");
    else expect(r).toEqual({ ok: false, reasons: reasons as string[] });
  });

  test("adapter facts", () => {
    expect([shopify.name, shopify.methods, shopify.duplicateStatus]).toEqual(["shopify", ["POST"], 200]);
  });
});
