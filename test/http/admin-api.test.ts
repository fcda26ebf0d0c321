import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { apiRoutes } from "../../src/app";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, makeBrand, makePublisher } from "../helpers/factories";

let t: TestApp;
let brand: Awaited<ReturnType<typeof makeBrand>>;
beforeAll(async () => { t = await makeTestApp(); brand = await makeBrand(t); });
afterAll(() => t.close());

const send = (method: string, path: string, json?: unknown, token: string | undefined = t.adminToken) => t.request(path, { method, json, token });
const tableCount = async (table: string) => Number((await t.ctx.client.execute(`select count(*) from ${table}`)).rows[0]![0]);

describe("every admin route requires an admin token", () => {
  for (const r of apiRoutes.filter((r) => r.auth === "admin")) {
    test(`${r.method.toUpperCase()} ${r.path}`, async () => {
      const path = r.path.replace(/\{\w+\}/g, "x");
      for (const token of ["", brand.liveKey, "lc_admin_forged", t.adminToken + "x"]) {
        const res = await send(r.method.toUpperCase(), path, r.body ? {} : undefined, token);
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "Missing or invalid credentials" } });
      }
    });
  }
});

describe("programs", () => {
  const valid = () => ({ brand_id: brand.id, name: "Tents", dest_url: "https://shop.example/t", commission_type: "percentage", commission_value: "7.5", currency: "usd" });
  test("create with defaults and decimal terms", async () => {
    const p = await api(t, "POST", "/api/admin/programs", valid());
    expect(p).toMatchObject({ status: "active", commission_value: "7.5", commission_bps: 750, currency: "USD", cookie_window_days: 30, network_fee_pct: "20", auto_approve_days: null });
    const flat = await api(t, "POST", "/api/admin/programs", { ...valid(), commission_type: "flat_cpa", commission_value: "12.345", currency: "KWD" });
    expect(flat).toMatchObject({ commission_value: "12.345", commission_value_minor: 12345 });
  });
  test.each([
    ["javascript: URL", { dest_url: "javascript:alert(1)" }, "dest_url"],
    ["ftp URL", { dest_url: "ftp://x.example/" }, "dest_url"],
    ["relative URL", { dest_url: "/local" }, "dest_url"],
    ["unknown currency", { currency: "ABC" }, "currency"],
    ["percentage over 100", { commission_value: "120" }, "commission_value"],
    ["percentage with 3 decimals", { commission_value: "7.125" }, "commission_value"],
    ["negative fee", { network_fee_pct: "-1" }, "network_fee_pct"],
    ["window 0 days", { cookie_window_days: 0 }, "cookie_window_days"],
    ["unknown brand", { brand_id: "nope" }, "brand_id"],
    ["unknown field", { colour: "red" }, "_"],
    ["bad type", { commission_type: "cpc" }, "commission_type"],
  ])("rejects %s with 422 on the field, stores nothing", async (_n, over, field) => {
    const before = await tableCount("programs");
    const res = await send("POST", "/api/admin/programs", { ...valid(), ...over });
    expect(res.status).toBe(422);
    const j = await res.json();
    expect(Object.keys(j.error.fields)).toContain(field);
    expect(await tableCount("programs")).toBe(before);
  });
  test("patch terms is audited with before/after", async () => {
    const p = await api(t, "POST", "/api/admin/programs", valid());
    await api(t, "PATCH", `/api/admin/programs/${p.id}`, { commission_value: "8", network_fee_pct: "15" });
    const audit = await api(t, "GET", `/api/admin/audit?entity_id=${p.id}`);
    expect(audit.data[0]).toMatchObject({ action: "program.updated", actor_type: "admin" });
    expect(audit.data[0].data.before.commission_value).toBe("7.5");
    expect(audit.data[0].data.after.commission_value).toBe("8");
    const empty = await send("PATCH", `/api/admin/programs/${p.id}`, {});
    expect(empty.status).toBe(422);
  });
});

describe("publishers and payout methods", () => {
  test.each([
    ["PayPal", { email: "me@pay.example" }],
    ["ACH", { account_holder: "Jane Doe", routing_number: "021000021", account_number: "123456789", account_type: "checking" }],
    ["Wise", { account_holder: "Jane Doe", iban: "GB82 WEST 1234 5698 7654 32" }],
    ["USDT", { network: "ERC20", address: "0x52908400098527886E0F7030069857D2E4169EE7" }],
    ["USDT", { network: "TRC20", address: "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL" }],
    ["WeChat Pay", { wechat_id: "jane_doe88", real_name: "Jane Doe" }],
    ["Zelle", { phone: "+15551234567", account_holder: "Jane Doe" }],
  ])("accepts valid %s details", async (method, details) => {
    const p = await api(t, "POST", "/api/admin/publishers", { name: "P", email: "p@x.example", payout_method: method, payout_details: details });
    expect(p.payout_method).toBe(method);
  });
  test.each([
    ["PayPal", { email: "not-an-email" }, "payout_details.email"],
    ["ACH", { account_holder: "Jane", routing_number: "123456789", account_number: "1234", account_type: "checking" }, "payout_details.routing_number"],
    ["Wise", { account_holder: "Jane", iban: "GB00 WEST 1234 5698 7654 32" }, "payout_details.iban"],
    ["USDT", { network: "TRC20", address: "0x52908400098527886E0F7030069857D2E4169EE7" }, "payout_details.address"],
    ["Zelle", { phone: "555" }, "payout_details"],
    ["Bitcoin", { address: "x" }, "payout_method"],
  ])("rejects invalid %s details", async (method, details, field) => {
    const before = await tableCount("publishers");
    const res = await send("POST", "/api/admin/publishers", { name: "P", email: "p@x.example", payout_method: method, payout_details: details });
    expect(res.status).toBe(422);
    expect(Object.keys((await res.json()).error.fields)).toContain(field);
    expect(await tableCount("publishers")).toBe(before);
  });
});

describe("approvals", () => {
  test("idempotent per pair, unguessable slug, tracking_url under PUBLIC_URL", async () => {
    const p = await api(t, "POST", "/api/admin/programs", { brand_id: brand.id, name: "A", dest_url: "https://a.example", commission_type: "flat_cpa", commission_value: 1, currency: "USD" });
    const pub = await makePublisher(t, "Approvals Pub");
    const a1 = await api(t, "POST", "/api/admin/approvals", { program_id: p.id, publisher_id: pub.id });
    expect(a1.slug).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(a1.tracking_url).toBe(`https://track.test/go/${a1.slug}`);
    await api(t, "PATCH", `/api/admin/approvals/${a1.id}`, { status: "suspended" });
    const a2 = await api(t, "POST", "/api/admin/approvals", { program_id: p.id, publisher_id: pub.id });
    expect(a2).toMatchObject({ id: a1.id, slug: a1.slug, status: "approved" });
    const bad = await send("POST", "/api/admin/approvals", { program_id: "nope", publisher_id: "nope" });
    expect(bad.status).toBe(422);
    expect(Object.keys((await bad.json()).error.fields).sort()).toEqual(["program_id", "publisher_id"]);
    expect((await send("PATCH", `/api/admin/approvals/${a1.id}`, { status: "deleted" })).status).toBe(422);
  });
});

describe("fx rates and misc", () => {
  test("rates are exact decimals; bad ones rejected", async () => {
    expect(await api(t, "PUT", "/api/admin/fx-rates", { base: "gbp", quote: "USD", rate: "1.2700" })).toMatchObject({ base: "GBP", rate: "1.27" });
    for (const bad of [{ base: "USD", quote: "USD", rate: 1 }, { base: "GBP", quote: "USD", rate: 0 }, { base: "GBP", quote: "USD", rate: "abc" }]) {
      expect((await send("PUT", "/api/admin/fx-rates", bad)).status).toBe(422);
    }
    expect((await api(t, "GET", "/api/admin/fx-rates")).data).toEqual([expect.objectContaining({ base: "GBP", quote: "USD", rate: "1.27" })]);
  });
  test("unknown API route -> JSON 404; bad query -> 422; bad cursor -> 400", async () => {
    const res = await send("GET", "/api/admin/nothing-here");
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
    expect((await send("GET", "/api/admin/conversions?status=weird")).status).toBe(422);
    expect((await send("GET", "/api/admin/conversions?limit=100000")).status).toBe(422);
    expect((await send("GET", "/api/admin/conversions?cursor=zzz")).status).toBe(400);
  });
  test("OpenAPI document describes the management API", async () => {
    const doc = await (await t.request("/api/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    for (const [path, method] of [
      ["/api/conv", "post"], ["/api/admin/brands", "post"], ["/api/admin/brands/{id}/api-keys", "post"], ["/api/admin/programs", "post"],
      ["/api/admin/publishers", "post"], ["/api/admin/approvals", "post"], ["/api/admin/approvals/{id}", "patch"],
      ["/api/admin/conversions", "get"], ["/api/admin/conversions/{id}/approve", "post"], ["/api/admin/conversions/{id}/reverse", "post"],
      ["/api/conversions", "get"], ["/api/conversions/{id}/reverse", "post"], ["/api/admin/fx-rates", "put"],
      ["/api/admin/integrations", "post"], ["/api/admin/integrations/{id}", "patch"], ["/api/admin/inbox", "get"], ["/api/admin/inbox/{id}/replay", "post"],
      ["/api/affiliate/webhook", "post"], ["/api/affiliate/webhook", "get"], ["/go/{slug}", "get"], ["/api/admin/referrers", "post"],
    ]) {
      expect(doc.paths[path!]?.[method!]).toBeDefined();
    }
    expect(doc.paths["/api/admin/programs"].post.requestBody.content["application/json"].schema.required).toContain("dest_url");
  });
});
