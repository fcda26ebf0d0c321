import { describe, expect, test } from "bun:test";
import { bytes, CLICK, fixture, fixtureText, matcher, rawRequest } from "./fixtures/helpers";
import { impact } from "./impact";
import type { IntegrationSecrets, NormalizedConversion, ParseResult, RawRequest } from "./types";

const SID = "IRa8bKz3nQ5Yw2281934";
const TOKEN_AUTH = "Zx8_Pq2r-AuthToken";
const URL_TOKEN = "lc_tok_91fa2c";
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
const get = (query: string, headers: Record<string, string> = {}) => rawRequest({ method: "GET", query, headers });
const conv = (r: ParseResult): NormalizedConversion => {
  if (!("conversion" in r)) throw new Error(JSON.stringify(r));
  return r.conversion;
};

const BASIC: IntegrationSecrets = { basicUser: SID, basicPasswordMatches: matcher(TOKEN_AUTH) };
const TOKEN: IntegrationSecrets = { urlTokenMatches: matcher(URL_TOKEN) };
const BOTH: IntegrationSecrets = { ...BASIC, ...TOKEN };
const q = fixtureText("impact", "approved.txt");

describe("impact.verify", () => {
  test.each<[string, RawRequest, IntegrationSecrets, string | null]>([
    ["basic ok", get(q, { authorization: basic(SID, TOKEN_AUTH) }), BASIC, null],
    ["basic scheme in lower case", get(q, { authorization: basic(SID, TOKEN_AUTH).replace("Basic", "basic") }), BASIC, null],
    ["basic missing", get(q), BASIC, "missing credentials"],
    ["basic wrong password", get(q, { authorization: basic(SID, "wrong") }), BASIC, "bad credentials"],
    ["basic wrong user", get(q, { authorization: basic("IRother", TOKEN_AUTH) }), BASIC, "bad credentials"],
    ["basic malformed", get(q, { authorization: "Basic !!!" }), BASIC, "missing credentials"],
    ["bearer instead of basic", get(q, { authorization: `Bearer ${TOKEN_AUTH}` }), BASIC, "missing credentials"],
    ["token ok", get(`${q}&token=${URL_TOKEN}`), TOKEN, null],
    ["token missing", get(q), TOKEN, "missing token"],
    ["token wrong", get(`${q}&token=nope`), TOKEN, "bad token"],
    ["both ok", get(`${q}&token=${URL_TOKEN}`, { authorization: basic(SID, TOKEN_AUTH) }), BOTH, null],
    ["both configured, only basic sent", get(q, { authorization: basic(SID, TOKEN_AUTH) }), BOTH, "missing token"],
    ["both configured, only token sent", get(`${q}&token=${URL_TOKEN}`), BOTH, "missing credentials"],
    ["both configured, token wrong", get(`${q}&token=x`, { authorization: basic(SID, TOKEN_AUTH) }), BOTH, "bad token"],
    ["nothing configured", get(`${q}&token=${URL_TOKEN}`, { authorization: basic(SID, TOKEN_AUTH) }), {}, "no credentials configured"],
    ["basic user without password matcher is not configured", get(q, { authorization: basic(SID, TOKEN_AUTH) }), { basicUser: SID }, "no credentials configured"],
  ])("%s", (_n, r, secrets, reason) => {
    expect(impact.verify(r, secrets)).toEqual(reason === null ? { ok: true } : { ok: false, reason });
  });

  test("a password containing ':' is kept whole", () => {
    const r = get(q, { authorization: basic(SID, "a:b:c") });
    expect(impact.verify(r, { basicUser: SID, basicPasswordMatches: matcher("a:b:c") })).toEqual({ ok: true });
  });
});

describe("impact.identify", () => {
  test("the Basic user (account SID)", () => expect(impact.identify(get(q, { authorization: basic(SID, "x") }))).toBe(SID));
  test("null without Basic auth", () => expect(impact.identify(get(`${q}&token=${URL_TOKEN}`))).toBeNull());
});

describe("impact.parse", () => {
  test("GET postback", () => {
    expect(conv(impact.parse(get(q)))).toEqual({
      orderRef: "IR-88213", amount: "59.00", currency: "USD", clickRef: CLICK, status: "approved", isTest: false,
      platformCommission: "5.90", occurredAt: Date.UTC(2026, 4, 14, 18, 48, 42), dedupeKey: null, topic: null,
    });
  });

  test.each([
    ["pending.txt", "pending"],
    ["approved.txt", "approved"],
    ["reversed.txt", "reversed"],
  ])("re-delivery %s keeps the key and moves the status to %s", (file, status) => {
    const c = conv(impact.parse(get(fixtureText("impact", file))));
    expect([c.orderRef, c.status]).toEqual(["IR-88213", status as NormalizedConversion["status"]]);
  });

  test.each([
    ["PENDING", "pending"], ["APPROVED", "approved"], ["REVERSED", "reversed"], ["DECLINED", "reversed"],
    ["Approved", "approved"], ["LOCKED", "approved"], ["CLEARED", "approved"], ["rejected", "reversed"],
  ])("Status=%s -> %s", (word, status) => {
    expect(conv(impact.parse(get(`OrderId=1&Amount=5&Currency=USD&Status=${word}`))).status).toBe(status as NormalizedConversion["status"]);
  });

  test("no status means a new (pending) action", () => {
    expect(conv(impact.parse(get("OrderId=1&Amount=5&Currency=USD"))).status).toBe("pending");
  });

  test("unreplaced {SubId1} means no click", () => {
    const c = conv(impact.parse(get(fixtureText("impact", "macro-subid.txt"))));
    expect([c.orderRef, c.clickRef]).toEqual(["IR-88260", null]);
  });

  test("test order: TEST id, 0.01, lower-case currency, unix seconds", () => {
    const c = conv(impact.parse(get(fixtureText("impact", "test-lowercase.txt"))));
    expect(c).toMatchObject({ isTest: true, currency: "usd", amount: "0.01", occurredAt: 1778850000 * 1000 });
  });

  test("POST JSON with snake_case names", () => {
    const body = fixture("impact", "post-json.json");
    const c = conv(impact.parse(rawRequest({ body, headers: { "content-type": "application/json" } })));
    expect(c).toMatchObject({
      orderRef: "IR-88301", amount: "149.90", platformCommission: "14.99", currency: "GBP", status: "approved",
      clickRef: "0196d3a2-aaaa-7bbb-8ccc-dddddddddddd", occurredAt: Date.UTC(2026, 4, 16, 12),
    });
  });

  test("POST form with alias names", () => {
    const body = fixture("impact", "post-form.txt");
    const c = conv(impact.parse(rawRequest({ body, headers: { "content-type": "application/x-www-form-urlencoded" } })));
    expect(c).toMatchObject({ orderRef: "IR-88302", amount: "75", currency: "CAD", status: "reversed", occurredAt: Date.UTC(2026, 4, 16, 12, 30) });
  });

  test("ActionId is the key when no order id is sent", () => {
    expect(conv(impact.parse(get("ActionId=19816.4710.9&OrderId={OrderId}&Amount=5&Currency=USD"))).orderRef).toBe("19816.4710.9");
  });

  test("test flag parameter", () => {
    expect(conv(impact.parse(get("OrderId=1&Amount=5&Currency=USD&IsTest=true"))).isTest).toBe(true);
  });

  test.each([
    ["no order id", "Amount=5&Currency=USD", ["missing order id (OrderId)"]],
    ["macro order id", "OrderId={OrderId}&Amount=5&Currency=USD", ["order id (OrderId) is an unreplaced macro {OrderId}"]],
    ["macro amount", "OrderId=1&Amount={Amount}&Currency=USD", ["amount (Amount) is an unreplaced macro {Amount}"]],
    ["negative amount", "OrderId=1&Amount=-5&Currency=USD", ["amount (Amount) must not be negative"]],
    ["absurd amount", "OrderId=1&Amount=1e20&Currency=USD", ["amount (Amount) is implausibly large"]],
    ["no currency", "OrderId=1&Amount=5", ["missing currency (Currency)"]],
    ["unknown status", "OrderId=1&Amount=5&Currency=USD&Status=MAYBE", ['status (Status) "MAYBE" is not recognised']],
    ["id over 200 characters", `OrderId=${"9".repeat(201)}&Amount=5&Currency=USD`, ["order id (OrderId) is longer than 200 characters"]],
  ])("rejects %s", (_n, query, reasons) => {
    expect(impact.parse(get(query as string))).toEqual({ ok: false, reasons: reasons as string[] });
  });

  test("rejects a broken JSON body", () => {
    const r = rawRequest({ body: bytes('{"OrderId":'), headers: { "content-type": "application/json" } });
    expect(impact.parse(r)).toEqual({ ok: false, reasons: ["body is not valid JSON"] });
  });

  test("adapter facts", () => {
    expect([impact.name, impact.methods, impact.duplicateStatus]).toEqual(["impact", ["GET", "POST"], 200]);
  });
});
