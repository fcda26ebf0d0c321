import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SecretBox } from "../../src/shared/secret-box";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, makeProgram, network } from "../helpers/factories";
import { basic, hmacBase64 } from "../helpers/sign";

let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
beforeAll(async () => { t = await makeTestApp(); n = await network(t); });
afterAll(() => t.close());

const lastInbox = async () => (await api(t, "GET", "/api/admin/inbox?limit=1")).data[0];
const count = async () => Number((await t.ctx.client.execute("select count(*) from conversions")).rows[0]![0]);
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

describe("replay cannot launder an unauthenticated request", () => {
  test("a generic request with a wrong secret stays rejected on replay; replays are audited", async () => {
    await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "generic", mode: "live", secret: "generic-secret-1", vendor_id: "v1" });
    const body = JSON.stringify({ vendor_id: "v1", order_id: "FORGED-1", order_total: "10", currency: "USD" });
    const res = await t.request("/api/affiliate/webhook?provider=generic", { method: "POST", body, headers: { "x-lastclick-secret": "guess" } });
    expect(res.status).toBe(401);
    const { inbox_id } = await res.json();
    const before = await count();
    const replay = await t.request(`/api/admin/inbox/${inbox_id}/replay`, { method: "POST", token: t.adminToken, json: {} });
    expect(replay.status).toBe(409);
    expect(await count()).toBe(before);
  });
  test("an impact request that authenticated but failed for another reason replays once fixed, and the replay is audited", async () => {
    const integ = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "impact", mode: "live", basic_user: "sidX", basic_password: "impact-token-x" });
    const res = await t.request("/api/affiliate/webhook?provider=impact&OrderId=IMP-9&Amount=10&Currency=GBP&Status=PENDING", { headers: { authorization: basic("sidX", "impact-token-x") } });
    expect(res.status).toBe(422); // no GBP->USD rate yet
    const { inbox_id } = await res.json();
    await api(t, "PUT", "/api/admin/fx-rates", { base: "GBP", quote: "USD", rate: "1.25" });
    const replay = await api(t, "POST", `/api/admin/inbox/${inbox_id}/replay`, {});
    expect(replay.response.status).toBe(200);
    expect(replay.replay).toMatchObject({ verdict: "accepted", integration_id: integ.id });
    const audit = await api(t, "GET", `/api/admin/audit?entity_id=${inbox_id}`);
    expect(audit.data[0]).toMatchObject({ action: "inbox.replayed", actor_type: "admin" });
  });
});

describe("integration discovery never guesses", () => {
  test("two programs sharing one refersion secret: without &i= the request is refused and the inbox says why", async () => {
    const other = await makeProgram(t, n.brand.id, { name: "Other" });
    const a = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", mode: "live", secret: "shared-secret-9" });
    await api(t, "POST", "/api/admin/integrations", { program_id: other.id, provider: "refersion", mode: "live", secret: "shared-secret-9" });
    const body = JSON.stringify({ order_id: "AMB-1", total: "10.00", currency: "USD", status: "PENDING" });
    const sig = { "refersion-signature": hmacBase64("shared-secret-9", body) };
    const res = await t.request("/api/affiliate/webhook?provider=refersion", { method: "POST", body, headers: sig });
    expect(res.status).toBe(401);
    expect((await lastInbox()).reason).toContain("ambiguous");
    const withId = await t.request(pathOf(a.webhook_url), { method: "POST", body, headers: sig });
    expect(withId.status).toBe(200);
  });
});

describe("test handshake and re-deliveries", () => {
  test("an order first received in test mode is not recorded again as live after the switch", async () => {
    const secret = "handshake-secret-2";
    const integ = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", secret });
    const send = (status: string) => {
      const body = JSON.stringify({ order_id: "REAL-1", total: "80.00", currency: "USD", status });
      return t.request(pathOf(integ.webhook_url), { method: "POST", body, headers: { "refersion-signature": hmacBase64(secret, body) } });
    };
    const first = await (await send("PENDING")).json();
    expect(first.test).toBe(true);
    await api(t, "PATCH", `/api/admin/integrations/${integ.id}`, { mode: "live" });
    const before = await count();
    const again = await send("APPROVED");
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "updated", id: first.id, conversion_status: "approved", test: true });
    expect(await count()).toBe(before);
  });
});

describe("failures are kept, never lost", () => {
  test("a sealed secret that cannot be opened is a 401 with a reason, and the request is in the inbox", async () => {
    const integ = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "shopify", mode: "live", secret: "shopify-secret-1" });
    const original = t.ctx.secrets;
    t.ctx.secrets = new SecretBox("a-different-key-than-the-one-that-sealed-it");
    try {
      const body = JSON.stringify({ id: 1, total_price: "1.00", currency: "USD" });
      const res = await t.request(pathOf(integ.webhook_url), { method: "POST", body, headers: { "x-shopify-hmac-sha256": hmacBase64("shopify-secret-1", body), "x-shopify-topic": "orders/create" } });
      expect(res.status).toBe(401);
      expect((await lastInbox()).reason).toContain("SECRETS_KEY");
    } finally {
      t.ctx.secrets = original;
    }
  });
  test("credential-looking headers and query parameters are redacted in the inbox", async () => {
    await t.request("/api/affiliate/webhook?provider=generic&AuthToken=qs-secret&api_key=k2", { method: "POST", body: "{}", headers: { "x-auth-token": "hdr-secret", "x-webhook-secret": "hdr-secret2" } });
    const row = await lastInbox();
    const dump = JSON.stringify(row);
    for (const s of ["qs-secret", "k2", "hdr-secret", "hdr-secret2"]) expect(dump).not.toContain(s);
  });
});

describe("platform commission keeps its currency", () => {
  test("reported commission is shown in the order currency beside ours", async () => {
    await api(t, "PUT", "/api/admin/fx-rates", { base: "EUR", quote: "USD", rate: "1.10" });
    const integ = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "generic", mode: "live", secret: "generic-secret-2", vendor_id: "eur-shop" });
    const body = JSON.stringify({ vendor_id: "eur-shop", order_id: "EUR-1", order_total: "100.00", commission_total: "9.00", currency: "eur" });
    const res = await (await t.request(pathOf(integ.webhook_url), { method: "POST", body, headers: { "x-lastclick-secret": "generic-secret-2" } })).json();
    const c = await api(t, "GET", `/api/admin/conversions/${res.id}`);
    expect(c).toMatchObject({ currency: "USD", value: "110.00", platform_commission: "9.00", platform_commission_currency: "EUR", platform_commission_minor: 900 });
  });
});
