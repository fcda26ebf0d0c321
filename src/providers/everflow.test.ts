import { describe, expect, test } from "bun:test";
import { everflow } from "./everflow";
import { bytes, CLICK, fixture, fixtureText, rawRequest } from "./fixtures/helpers";
import type { IntegrationSecrets, NormalizedConversion, ParseResult } from "./types";

const ALLOW: IntegrationSecrets = { ipAllowed: (ip) => ip === "198.51.100.20" };
const get = (query: string, peerIp: string | null = "198.51.100.20") => rawRequest({ method: "GET", query, peerIp });
const conv = (r: ParseResult): NormalizedConversion => {
  if (!("conversion" in r)) throw new Error(JSON.stringify(r));
  return r.conversion;
};
const q = fixtureText("everflow", "conversion.txt");

describe("everflow.verify: the address is the credential", () => {
  test.each<[string, string | null, IntegrationSecrets, string | null]>([
    ["allowed address", "198.51.100.20", ALLOW, null],
    ["other address", "203.0.113.9", ALLOW, "address not on the allowlist"],
    ["unknown address", null, ALLOW, "client address unknown"],
    ["no allowlist configured", "198.51.100.20", {}, "no IP allowlist configured"],
  ])("%s", (_n, ip, secrets, reason) => {
    expect(everflow.verify(get(q, ip), secrets)).toEqual(reason === null ? { ok: true } : { ok: false, reason });
  });
  test("a forwarded-for header is not the peer", () => {
    const r = rawRequest({ method: "GET", query: q, peerIp: "203.0.113.9", headers: { "x-forwarded-for": "198.51.100.20" } });
    expect(everflow.verify(r, ALLOW).ok).toBe(false);
  });
  test("identify is null (by IP, done by the caller)", () => expect(everflow.identify(get(q))).toBeNull());
});

describe("everflow.parse", () => {
  test("base conversion: key is transaction_id:conversion", () => {
    expect(conv(everflow.parse(get(q)))).toEqual({
      orderRef: "5f0c8d1e4a774c2f9e2b7c417a10d3a2:conversion", amount: "59.00", currency: "USD", clickRef: CLICK,
      status: "pending", isTest: false, platformCommission: "5.90", occurredAt: 1778784522000, dedupeKey: null, topic: "conversion",
    });
  });

  test("a post-conversion event on the same click gets its own key", () => {
    const c = conv(everflow.parse(get(fixtureText("everflow", "event-upsell.txt"))));
    expect([c.orderRef, c.amount]).toEqual(["5f0c8d1e4a774c2f9e2b7c417a10d3a2:31", "19.00"]);
  });

  test.each([
    ["event param wins", "transaction_id=t&event=signup&event_id=5&event_name=Lead", "t:signup"],
    ["event_id", "transaction_id=t&event_id=5&event_name=Lead", "t:5"],
    ["event_name when event_id is 0", "transaction_id=t&event_id=0&event_name=Lead", "t:Lead"],
    ["macros fall back to conversion", "transaction_id=t&event_id={event_id}&event_name={event_name}", "t:conversion"],
  ])("%s", (_n, params, key) => {
    expect(conv(everflow.parse(get(`${params}&sale_amount=1.00&currency=USD`))).orderRef).toBe(key as string);
  });

  test("unreplaced macros: click null, timestamp ignored, lower-case currency", () => {
    const c = conv(everflow.parse(get(fixtureText("everflow", "macros.txt"))));
    expect(c).toMatchObject({ clickRef: null, occurredAt: null, currency: "eur", orderRef: "9a1b2c3d4e5f40718293a4b5c6d7e8f9:conversion" });
  });

  test("status re-delivery: rejected -> reversed, same key", () => {
    const c = conv(everflow.parse(get(fixtureText("everflow", "rejected.txt"))));
    expect([c.orderRef, c.status]).toEqual(["5f0c8d1e4a774c2f9e2b7c417a10d3a2:conversion", "reversed"]);
  });

  test.each([["approved", "approved"], ["pending", "pending"], ["rejected", "reversed"], ["invalid", "reversed"]])(
    "status %s -> %s", (word, status) => {
      expect(conv(everflow.parse(get(`transaction_id=t&sale_amount=1&currency=USD&status=${word}`))).status).toBe(status as NormalizedConversion["status"]);
    },
  );

  test("POST JSON with numbers and ms timestamp", () => {
    const c = conv(everflow.parse(rawRequest({ body: fixture("everflow", "post.json"), peerIp: "198.51.100.20" })));
    expect(c).toMatchObject({
      orderRef: "c0ffee00c0ffee00c0ffee00c0ffee00:Purchase", amount: "89.5", platformCommission: "8.95",
      status: "reversed", occurredAt: 1778790000123,
    });
  });

  test("TEST transaction id is a test", () => {
    expect(conv(everflow.parse(get("transaction_id=TEST123&sale_amount=5&currency=USD"))).isTest).toBe(true);
  });

  test.each([
    ["no transaction id", "sale_amount=5&currency=USD", ["missing order id (transaction_id)"]],
    ["macro transaction id", "transaction_id={transaction_id}&sale_amount=5&currency=USD", ["order id (transaction_id) is an unreplaced macro {transaction_id}"]],
    ["no amount", "transaction_id=t&currency=USD", ["missing amount (sale_amount)"]],
    ["negative payout", "transaction_id=t&sale_amount=5&payout=-1&currency=USD", ["commission (payout) must not be negative"]],
    ["absurd amount", "transaction_id=t&sale_amount=50000000000000&currency=USD", ["amount (sale_amount) is implausibly large"]],
    ["bad currency", "transaction_id=t&sale_amount=5&currency=dollars", ['currency (currency) "dollars" is not an ISO 4217 code']],
  ])("rejects %s", (_n, query, reasons) => {
    expect(everflow.parse(get(query as string))).toEqual({ ok: false, reasons: reasons as string[] });
  });

  describe("currency: partner postbacks carry none", () => {
    const base = "transaction_id=t&sale_amount=5";
    test.each([
      ["none sent: the integration's (or program's) currency", base, "EUR"],
      ["an unreplaced {currency} macro: the same", `${base}&currency={currency}`, "EUR"],
      ["an empty parameter: the same", `${base}&currency=`, "EUR"],
      ["a currency the partner added to the URL is used", `${base}&currency=gbp`, "gbp"],
    ])("%s", (_n, query, currency) => {
      expect(conv(everflow.parse(get(query), { defaultCurrency: "EUR" })).currency).toBe(currency);
    });
    test("a sent currency is still checked", () => {
      expect(everflow.parse(get(`${base}&currency=constructor`), { defaultCurrency: "EUR" }))
        .toEqual({ ok: false, reasons: ['currency (currency) "constructor" is not an ISO 4217 code'] });
    });
    test("without a default it is missing", () => {
      expect(everflow.parse(get(base))).toEqual({ ok: false, reasons: ["missing currency (currency)"] });
    });
  });

  test("rejects a non-JSON body sent as JSON", () => {
    const r = rawRequest({ body: bytes("{nope"), headers: { "content-type": "application/json" } });
    expect(everflow.parse(r)).toEqual({ ok: false, reasons: ["body is not valid JSON"] });
  });

  test("adapter facts", () => {
    expect([everflow.name, everflow.methods, everflow.duplicateStatus]).toEqual(["everflow", ["GET", "POST"], 200]);
  });
});
