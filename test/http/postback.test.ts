import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { conversions, auditLog } from "../../src/db/schema";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, click, makeBrand, makeProgram, network, postback } from "../helpers/factories";

let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
beforeAll(async () => { t = await makeTestApp(); n = await network(t); });
afterAll(() => t.close());

const body = (over: Record<string, unknown> = {}) => ({
  program_id: n.program.id, brand_order_ref: `ORD-${crypto.randomUUID()}`, order_value: 99.0, order_currency: "USD", ...over,
});
const countRows = async () => ({
  conversions: (await t.ctx.db.select().from(conversions)).length,
  audit: (await t.ctx.db.select().from(auditLog)).length,
});

describe("POST /api/conv: happy paths", () => {
  test("attributed percentage conversion with exact split", async () => {
    const { clickId } = await click(t, n.pathA);
    const res = await postback(t, n.brand.liveKey, body({ order_value: "99.00", lc_click: clickId }));
    expect(res.status).toBe(200);
    const j = await res.json();
    expect(j.status).toBe("created");
    expect(j.conversion).toMatchObject({
      publisher_id: n.pubA.id, click_id: clickId, attribution: "credited", attributed: true,
      order_value: "99.00", order_value_minor: 9900, currency: "USD",
      commission: "9.90", commission_minor: 990, network_fee: "1.98", network_fee_minor: 198,
      publisher_payout: "7.92", publisher_payout_minor: 792, status: "pending", source: "postback", test: false,
    });
  });

  test("unattributed when no click / unknown click / other program's click, fee kept, payout 0", async () => {
    const other = await makeProgram(t, n.brand.id, { name: "Boots", commission_type: "flat_cpa", commission_value: "15.00" });
    const { clickId: otherClick } = await click(t, `/go/${(await api(t, "POST", "/api/admin/approvals", { program_id: other.id, publisher_id: n.pubA.id })).slug}`);
    for (const [lc_click, reason] of [[undefined, "no_click_sent"], ["01900000-0000-7000-8000-000000000000", "click_not_found"], ["garbage'; drop table clicks;--", "click_not_found"], [otherClick, "wrong_program"]] as const) {
      const j = await (await postback(t, n.brand.liveKey, body({ lc_click }))).json();
      expect(j.conversion).toMatchObject({ publisher_id: null, attributed: false, attribution: reason, commission_minor: 990, network_fee_minor: 198, publisher_payout_minor: 0 });
    }
  });

  test("duplicate (program, order ref) answers duplicate with the original and stores nothing", async () => {
    const b = body();
    const first = await (await postback(t, n.brand.liveKey, b)).json();
    const before = await countRows();
    const again = await postback(t, n.brand.liveKey, { ...b, order_value: "1.00" });
    expect(again.status).toBe(200);
    const j = await again.json();
    expect(j.status).toBe("duplicate");
    expect(j.conversion.id).toBe(first.conversion.id);
    expect(j.conversion.order_value).toBe("99.00");
    expect(await countRows()).toEqual(before);
  });

  test("a JSON number is parsed from its text, never through a float", async () => {
    const res = await t.request("/api/conv", { method: "POST", token: n.brand.liveKey, headers: { "content-type": "application/json" },
      body: `{"program_id":"${n.program.id}","brand_order_ref":"EXACT-1","order_value":1.0049999999999999,"order_currency":"USD"}` });
    expect((await res.json()).conversion.order_value).toBe("1.00");
    const res2 = await t.request("/api/conv", { method: "POST", token: n.brand.liveKey, headers: { "content-type": "application/json" },
      body: `{"program_id":"${n.program.id}","brand_order_ref":"EXACT-2","order_value":99.00,"order_currency":"USD"}` });
    expect((await res2.json()).conversion.order_value).toBe("99.00");
  });

  test("other currency converted with the admin rate table; original kept", async () => {
    await api(t, "PUT", "/api/admin/fx-rates", { base: "EUR", quote: "USD", rate: "1.0825" });
    const j = await (await postback(t, n.brand.liveKey, body({ order_value: "100.00", order_currency: "eur" }))).json();
    expect(j.conversion).toMatchObject({ order_value: "100.00", order_currency: "EUR", value: "108.25", currency: "USD", fx_rate: "1.0825", commission: "10.83" });
  });

  test("currency without a rate: 422 with a clear reason, nothing stored", async () => {
    const before = await countRows();
    const res = await postback(t, n.brand.liveKey, body({ order_currency: "GBP" }));
    expect(res.status).toBe(422);
    const j = await res.json();
    expect(j.error.fields.order_currency[0]).toContain("no exchange rate GBP->USD");
    expect(await countRows()).toEqual(before);
  });

  test("test-mode key stores a test conversion, separate from live", async () => {
    const b = body();
    const live = await (await postback(t, n.brand.liveKey, b)).json();
    const testRes = await (await postback(t, n.brand.testKey, b)).json();
    expect(testRes.status).toBe("created");
    expect(testRes.conversion.test).toBe(true);
    expect(testRes.conversion.id).not.toBe(live.conversion.id);
    const listed = await api(t, "GET", "/api/admin/conversions?test=true");
    expect(listed.data.every((c: { test: boolean }) => c.test)).toBe(true);
  });
});

describe("POST /api/conv: rejections change nothing", () => {
  const cases: [string, () => Promise<Response>, number, string?][] = [
    ["no Authorization", () => t.request("/api/conv", { method: "POST", json: body() }), 401],
    ["wrong key", () => postback(t, "lc_live_wrongwrongwrongwrongwrongwrong", body()), 401],
    ["admin token is not a brand key", () => postback(t, t.adminToken, body()), 401],
    ["malformed Authorization", () => t.request("/api/conv", { method: "POST", json: body(), headers: { authorization: "Basic abc" } }), 401],
    ["not JSON", () => t.request("/api/conv", { method: "POST", token: n.brand.liveKey, body: "{nope", headers: { "content-type": "application/json" } }), 400],
    ["empty body", () => t.request("/api/conv", { method: "POST", token: n.brand.liveKey }), 400],
    ["missing fields", () => postback(t, n.brand.liveKey, {}), 422, "program_id"],
    ["float-ish garbage amount", () => postback(t, n.brand.liveKey, body({ order_value: "12,50" })), 422, "order_value"],
    ["negative amount", () => postback(t, n.brand.liveKey, body({ order_value: -5 })), 422, "order_value"],
    ["absurd amount", () => postback(t, n.brand.liveKey, body({ order_value: "1e20" })), 422, "order_value"],
    ["unknown currency", () => postback(t, n.brand.liveKey, body({ order_currency: "XXQ" })), 422, "order_currency"],
    ["unknown program (same answer as another brand's)", () => postback(t, n.brand.liveKey, body({ program_id: "nope" })), 403],
    ["body over the cap", () => postback(t, n.brand.liveKey, body({ pad: "x".repeat(70_000) })), 413],
    ["order ref too long", () => postback(t, n.brand.liveKey, body({ brand_order_ref: "x".repeat(201) })), 422, "brand_order_ref"],
  ];
  for (const [name, send, status, field] of cases) {
    test(`${name} -> ${status}`, async () => {
      const before = await countRows();
      const res = await send();
      expect(res.status).toBe(status);
      const j = await res.json();
      expect(typeof j.error.code).toBe("string");
      expect(typeof j.error.message).toBe("string");
      if (field) expect(Object.keys(j.error.fields)).toContain(field);
      if (status === 401) expect(j.error.message).toBe("Missing or invalid credentials");
      expect(await countRows()).toEqual(before);
    });
  }

  test("program of another brand -> 403, nothing stored", async () => {
    const other = await makeBrand(t, "Other");
    const before = await countRows();
    const res = await postback(t, other.liveKey, body());
    expect(res.status).toBe(403);
    expect(await countRows()).toEqual(before);
  });

  test("revoked key -> 401", async () => {
    const keys = await api(t, "GET", `/api/admin/brands/${n.brand.id}/api-keys`);
    const fresh = await api(t, "POST", `/api/admin/brands/${n.brand.id}/api-keys`, { mode: "live" });
    expect(keys.data.every((k: Record<string, unknown>) => !("key" in k) && !("key_hash" in k))).toBe(true);
    await api(t, "DELETE", `/api/admin/brands/${n.brand.id}/api-keys/${fresh.id}`);
    expect((await postback(t, fresh.key, body())).status).toBe(401);
  });
});
