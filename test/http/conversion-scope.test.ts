import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Actor } from "../../src/auth/authenticate";
import { getConversion, listConversions, listConversionsQuery } from "../../src/conversions/list-conversions";
import { approveConversion, reverseConversion } from "../../src/conversions/review";
import { serializeConversionFor } from "../../src/conversions/serialize";
import { makeTestApp, type TestApp } from "../helpers/app";
import { csrfOf, login, makeUser } from "../helpers/console";
import { api, approve, click, makeBrand, makeProgram, network, postback } from "../helpers/factories";

// Scope is decided in the domain from the actor: the same listConversions serves the admin API,
// the brand-key API and the console, and returns only the rows the actor may see.
let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
const ids = { aLive: "", bLive: "", aTest: "", unattributed: "", rivalA: "" };

async function sale(key: string, programId: string, path: string | null, ref: string) {
  const clickId = path ? (await click(t, path)).clickId : null;
  const res = await postback(t, key, { program_id: programId, brand_order_ref: ref, order_value: "100", order_currency: "USD", lc_click: clickId });
  return ((await res.json()) as { conversion: { id: string } }).conversion.id;
}
const q = (o: Record<string, unknown> = {}) => listConversionsQuery.parse(o);
const listIds = async (actor: Actor) => (await listConversions({ ctx: t.ctx, actor, query: q() })).rows.map((r) => r.id).sort();

beforeAll(async () => {
  t = await makeTestApp();
  n = await network(t);
  const brand = await makeBrand(t, "Rival");
  const program = await makeProgram(t, brand.id, { name: "Rival Tents" });
  const link = await approve(t, program.id, n.pubA.id);
  ids.aLive = await sale(n.brand.liveKey, n.program.id, n.pathA, "A-LIVE");
  ids.bLive = await sale(n.brand.liveKey, n.program.id, n.pathB, "B-LIVE");
  ids.aTest = await sale(n.brand.testKey, n.program.id, n.pathA, "A-TEST");
  ids.unattributed = await sale(n.brand.liveKey, n.program.id, null, "NONE");
  ids.rivalA = await sale(brand.liveKey, program.id, `/go/${link.slug}`, "RIVAL-A");
});
afterAll(() => t.close());

const admin: Actor = { type: "admin", id: "u-admin", via: "session" };
const brandUser = (): Actor => ({ type: "brand", id: "u-brand", brandId: n.brand.id, mode: "live", via: "session" });
const pubA = (): Actor => ({ type: "publisher", id: "u-pub", publisherId: n.pubA.id, via: "session" });

describe("listConversions({ ctx, actor, query })", () => {
  test("admin: every conversion", async () => {
    expect(await listIds(admin)).toEqual(Object.values(ids).sort());
  });
  test("brand user: its programs' conversions (live and test), none of the rival brand's", async () => {
    expect(await listIds(brandUser())).toEqual([ids.aLive, ids.bLive, ids.aTest, ids.unattributed].sort());
  });
  test("publisher: only live conversions credited to it, across brands", async () => {
    expect(await listIds(pubA())).toEqual([ids.aLive, ids.rivalA].sort());
  });
  test("a query cannot widen the scope: publisher_id of another publisher returns nothing", async () => {
    const page = await listConversions({ ctx: t.ctx, actor: pubA(), query: q({ publisher_id: n.pubB.id }) });
    expect(page.rows).toEqual([]);
  });
  test("getConversion: out of scope is not found", async () => {
    expect(await getConversion({ ctx: t.ctx, actor: pubA(), id: ids.bLive })).toBeUndefined();
    expect(await getConversion({ ctx: t.ctx, actor: brandUser(), id: ids.rivalA })).toBeUndefined();
    expect((await getConversion({ ctx: t.ctx, actor: pubA(), id: ids.aLive }))?.id).toBe(ids.aLive);
  });
  test("a publisher never sees the commission, network fee or platform commission", async () => {
    const row = (await getConversion({ ctx: t.ctx, actor: pubA(), id: ids.aLive }))!;
    const seen = serializeConversionFor(pubA(), row);
    for (const k of ["commission", "commission_minor", "network_fee", "network_fee_minor", "platform_commission", "brand_id"]) expect(seen).not.toHaveProperty(k);
    expect(seen).toMatchObject({ id: ids.aLive, publisher_payout: expect.any(String) });
    expect(serializeConversionFor(brandUser(), row)).toHaveProperty("network_fee");
  });
  test("a publisher cannot approve or reverse; a brand cannot touch another brand's conversion", async () => {
    expect(() => approveConversion(t.ctx, pubA(), ids.aLive)).toThrow("Publishers cannot change conversions");
    expect(() => reverseConversion(t.ctx, pubA(), ids.aLive, "mine now")).toThrow("Publishers cannot change conversions");
    await expect(reverseConversion(t.ctx, brandUser(), ids.rivalA, "not ours")).rejects.toThrow();
    expect((await api(t, "GET", `/api/admin/conversions/${ids.rivalA}`)).status).toBe("pending");
  });
});

describe("the API routes use the same scope", () => {
  test("brand live key: its live rows; test key: its test rows; never the rival's", async () => {
    const live = await api(t, "GET", "/api/conversions", undefined, n.brand.liveKey);
    expect(live.data.map((c: { id: string }) => c.id).sort()).toEqual([ids.aLive, ids.bLive, ids.unattributed].sort());
    const test_ = await api(t, "GET", "/api/conversions", undefined, n.brand.testKey);
    expect(test_.data.map((c: { id: string }) => c.id)).toEqual([ids.aTest]);
    expect((await t.request(`/api/conversions/${ids.rivalA}`, { token: n.brand.liveKey })).status).toBe(404);
    expect((await t.request(`/api/conversions/${ids.rivalA}/reverse`, { method: "POST", token: n.brand.liveKey, json: { reason: "not ours" } })).status).toBe(404);
  });
  test("admin token: all rows", async () => {
    const all = await api(t, "GET", "/api/admin/conversions");
    expect(all.data.map((c: { id: string }) => c.id).sort()).toEqual(Object.values(ids).sort());
  });
});

describe("console overviews show each signed-in actor only its rows", () => {
  test("publisher A sees its credited orders, not B's nor the test one; the brand sees its own, not the rival's", async () => {
    await makeUser(t, "a@pub.example", "publisher", { publisher_id: n.pubA.id });
    await makeUser(t, "b@brand.example", "brand", { brand_id: n.brand.id });
    const pub = await (await t.request("/dashboard/publisher", { headers: { cookie: (await login(t, "a@pub.example")).cookie } })).text();
    expect(pub).toContain("A-LIVE");
    expect(pub).toContain("RIVAL-A");
    expect(pub).not.toContain("B-LIVE");
    expect(pub).not.toContain("A-TEST");
    const brandCookie = (await login(t, "b@brand.example")).cookie;
    const brand = await (await t.request("/dashboard/brand", { headers: { cookie: brandCookie } })).text();
    expect(brand).toContain("B-LIVE");
    expect(brand).not.toContain("RIVAL-A");
    expect(await csrfOf(t, brandCookie)).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });
  test("an order ref with markup is shown as text", async () => {
    await sale(n.brand.liveKey, n.program.id, n.pathA, "<script>alert('x')</script>");
    await makeUser(t, "x@pub.example", "publisher", { publisher_id: n.pubA.id });
    const page = await (await t.request("/dashboard/publisher", { headers: { cookie: (await login(t, "x@pub.example")).cookie } })).text();
    expect(page).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(page).not.toContain("<script>alert(");
  });
});
