import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, click, network } from "../helpers/factories";
import { basic, hmacBase64 } from "../helpers/sign";

// Impact, Everflow, Shopify and WooCommerce through the real app (Refersion and
// generic are in webhooks-refersion-generic.test.ts).
let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
beforeAll(async () => { t = await makeTestApp(); n = await network(t, { commission_type: "percentage", commission_value: "10" }); });
afterAll(() => t.close());

const count = async () => Number((await t.ctx.client.execute("select count(*) from conversions")).rows[0]![0]);
const lastInbox = async () => (await api(t, "GET", "/api/admin/inbox?limit=1")).data[0];
const conv = (id: string) => api(t, "GET", `/api/admin/conversions/${id}`);

describe("impact (GET postback with Basic auth, or URL token)", () => {
  beforeAll(async () => {
    await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "impact", mode: "live", basic_user: "IRsid123", basic_password: "impact-auth-token" });
  });
  const get = (qs: string, auth = basic("IRsid123", "impact-auth-token")) =>
    t.request(`/api/affiliate/webhook?provider=impact&${qs}`, { headers: { authorization: auth } });

  test("query-string postback found by Basic user, attributed by SubId1; reversal re-delivery updates; repeat is 200 duplicate", async () => {
    const { clickId } = await click(t, n.pathA);
    const qs = (status: string) => `OrderId=IR-1&Amount=59.00&Payout=5.90&Currency=usd&Status=${status}&SubId1=${clickId}`;
    const r1 = await get(qs("PENDING"));
    expect(r1.status).toBe(200);
    const j1 = await r1.json();
    expect(await conv(j1.id)).toMatchObject({ publisher_id: n.pubA.id, source: "impact", order_currency: "USD", platform_commission_minor: 590 });
    const r2 = await get(qs("PENDING"));
    expect(r2.status).toBe(200);
    expect((await r2.json()).status).toBe("duplicate");
    const r3 = await (await get(qs("REVERSED"))).json();
    expect(r3).toMatchObject({ status: "updated", conversion_status: "reversed" });
  });
  test("an unreplaced {SubId1} macro means no click", async () => {
    const j = await (await get("OrderId=IR-2&Amount=24.99&Currency=USD&Status=PENDING&SubId1=%7BSubId1%7D")).json();
    expect(await conv(j.id)).toMatchObject({ publisher_id: null, attribution: "no_click_sent" });
  });
  test("wrong password or no credentials: 401; the password never reaches the inbox", async () => {
    const before = await count();
    expect((await get("OrderId=IR-3&Amount=1&Currency=USD", basic("IRsid123", "wrong"))).status).toBe(401);
    expect((await get("OrderId=IR-3&Amount=1&Currency=USD", "")).status).toBe(401);
    expect(await count()).toBe(before);
    const row = await lastInbox();
    expect(JSON.stringify(row)).not.toContain("impact-auth-token");
  });
  test("secret URL token instead of Basic; the token is redacted in the inbox", async () => {
    const tokenInteg = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "impact", mode: "live", secret: "url-token-secret-99" });
    const u = new URL(tokenInteg.webhook_url);
    expect(u.searchParams.get("token")).toBe("url-token-secret-99");
    const ok = await t.request(`${u.pathname}${u.search}&OrderId=IR-TOK&Amount=10&Currency=USD&Status=PENDING`);
    expect(ok.status).toBe(200);
    expect((await lastInbox()).url).not.toContain("url-token-secret-99");
    const bad = await t.request(`/api/affiliate/webhook?provider=impact&i=${tokenInteg.id}&token=nope&OrderId=IR-TOK2&Amount=10&Currency=USD`);
    expect(bad.status).toBe(401);
  });
});

describe("everflow (unsigned, IP allowlist)", () => {
  let integ: { id: string };
  beforeAll(async () => {
    integ = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "everflow", mode: "live", ip_allowlist: ["198.51.100.0/24"], trusted_proxies: ["10.0.0.1"] });
  });
  const qs = (clickId: string, extra = "") => `transaction_id=tx77&sub1=${clickId}&sale_amount=59.00&payout=5.90&currency=USD${extra}`;

  test("allowed IP: recorded, key is transaction_id + event; repeat is 200 duplicate; another event is another conversion", async () => {
    const { clickId } = await click(t, n.pathB);
    const r1 = await t.request(`/api/affiliate/webhook?provider=everflow&${qs(clickId)}`, { peer: "198.51.100.7" });
    expect(r1.status).toBe(200);
    const j1 = await r1.json();
    expect(await conv(j1.id)).toMatchObject({ publisher_id: n.pubB.id, brand_order_ref: "tx77:conversion" });
    const r2 = await t.request(`/api/affiliate/webhook?provider=everflow&${qs(clickId)}`, { peer: "198.51.100.7" });
    expect([r2.status, (await r2.json()).status]).toEqual([200, "duplicate"]);
    const r3 = await (await t.request(`/api/affiliate/webhook?provider=everflow&${qs(clickId, "&event_id=5&event_name=upsell")}`, { peer: "198.51.100.7" })).json();
    expect(r3.status).toBe("created");
  });
  test("an IP off the list is refused; X-Forwarded-For counts only from the integration's trusted proxy", async () => {
    const before = await count();
    expect((await t.request(`/api/affiliate/webhook?provider=everflow&${qs("x")}`, { peer: "203.0.113.9" })).status).toBe(401);
    expect((await t.request(`/api/affiliate/webhook?provider=everflow&${qs("x")}`, { peer: "203.0.113.9", headers: { "x-forwarded-for": "198.51.100.7" } })).status).toBe(401);
    expect(await count()).toBe(before);
    const viaProxy = await t.request(`/api/affiliate/webhook?provider=everflow&i=${integ.id}&${qs("x").replace("tx77", "tx-proxy")}`, { peer: "10.0.0.1", headers: { "x-forwarded-for": "198.51.100.9" } });
    expect(viaProxy.status).toBe(200);
  });
});

describe("shopify (orders/create, HMAC, landing site)", () => {
  const secret = "shpss_shopify_app_secret";
  let integ: { webhook_url: string };
  beforeAll(async () => { integ = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "shopify", mode: "live", secret }); });
  const order = (clickId: string, over: Record<string, unknown> = {}) => JSON.stringify({
    id: 820982911946154508, name: "#1042", landing_site: `/products/tent?lc_click=${clickId}&utm_source=pub`, total_price: "59.00",
    currency: "USD", financial_status: "paid", test: false, note_attributes: [], created_at: "2026-11-02T12:00:00+00:00", ...over,
  });
  const send = (body: string, topic = "orders/create", webhookId: string = crypto.randomUUID(), sig = hmacBase64(secret, body)) =>
    t.request(new URL(integ.webhook_url).pathname + new URL(integ.webhook_url).search, {
      method: "POST", body, headers: { "content-type": "application/json", "x-shopify-hmac-sha256": sig, "x-shopify-topic": topic, "x-shopify-webhook-id": webhookId },
    });

  test("order attributed from landing_site; a re-sent webhook is 200 duplicate; a bad HMAC is 401", async () => {
    const { clickId } = await click(t, n.pathA);
    const body = order(clickId);
    const r1 = await send(body);
    expect(r1.status).toBe(200);
    const j = await r1.json();
    expect(await conv(j.id)).toMatchObject({ publisher_id: n.pubA.id, source: "shopify", order_value: "59.00" });
    const r2 = await send(body);
    expect([r2.status, (await r2.json()).status]).toEqual([200, "duplicate"]);
    expect((await send(order(clickId, { id: 1 }), "orders/create", "w-1", hmacBase64("wrong", body))).status).toBe(401);
  });
  test("test orders are test conversions", async () => {
    const j = await (await send(order("none", { id: 555, test: true }))).json();
    expect(j.test).toBe(true);
  });
});

describe("woocommerce (signed order webhooks, unsigned save ping)", () => {
  const secret = "wc-webhook-secret";
  let integ: { webhook_url: string };
  beforeAll(async () => { integ = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "woocommerce", mode: "live", secret }); });
  const url = () => new URL(integ.webhook_url).pathname + new URL(integ.webhook_url).search;

  test("the unsigned ping WooCommerce sends when the webhook is saved answers 200 and records nothing", async () => {
    const before = await count();
    const res = await t.request(url(), { method: "POST", body: "webhook_id=17", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(200);
    expect(await count()).toBe(before);
    expect(await lastInbox()).toMatchObject({ verdict: "accepted" });
  });
  test("a signed order is recorded with the click from meta_data; an unsigned order is refused", async () => {
    const { clickId } = await click(t, n.pathB);
    const body = JSON.stringify({ id: 7314, number: "7314", status: "processing", total: "54.95", currency: "USD", meta_data: [{ id: 1, key: "_lc_click", value: clickId }] });
    const res = await t.request(url(), { method: "POST", body, headers: { "content-type": "application/json", "x-wc-webhook-signature": hmacBase64(secret, body), "x-wc-webhook-topic": "order.created" } });
    expect(res.status).toBe(200);
    expect(await conv((await res.json()).id)).toMatchObject({ publisher_id: n.pubB.id, source: "woocommerce" });
    const before = await count();
    const unsigned = await t.request(url(), { method: "POST", body: body.replace("7314", "7315"), headers: { "content-type": "application/json", "x-wc-webhook-topic": "order.created" } });
    expect(unsigned.status).toBe(401);
    expect(await count()).toBe(before);
  });
});
