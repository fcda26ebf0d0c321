import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, click, network, postback } from "../helpers/factories";

let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
beforeAll(async () => { t = await makeTestApp(); n = await network(t, { commission_type: "flat_cpa", commission_value: "20.00" }); });
afterAll(() => t.close());

async function sale(ref: string | null, orderRef: string, key = n.brand.liveKey) {
  const { clickId } = await click(t, `${n.pathA}${ref ? `?ref=${encodeURIComponent(ref)}` : ""}`);
  return (await (await postback(t, key, { program_id: n.program.id, brand_order_ref: orderRef, order_value: 100, order_currency: "USD", lc_click: clickId })).json()).conversion;
}

describe("referral credit ledger", () => {
  test("earn (pending) -> vest on approval -> reverse with the conversion; balances are sums", async () => {
    const r = await api(t, "POST", "/api/admin/referrers", { name: "Friend <b>Co</b>", code: "FRIEND10", reward_pct: "12.5" });
    expect(r).toMatchObject({ code: "FRIEND10", reward_pct: "12.5" });
    const c1 = await sale("FRIEND10", "REF-1");
    const c2 = await sale("FRIEND10", "REF-2");
    let ledger = await api(t, "GET", `/api/admin/referrers/${r.id}/ledger`);
    expect(ledger.entries.map((e: { kind: string; amount: string }) => [e.kind, e.amount])).toEqual([["earn", "2.50"], ["earn", "2.50"]]);
    expect(ledger.balances).toEqual([expect.objectContaining({ currency: "USD", earned: "5.00", vested: "0.00", pending: "5.00" })]);

    await api(t, "POST", `/api/admin/conversions/${c1.id}/approve`);
    await api(t, "POST", `/api/admin/conversions/${c1.id}/approve`); // repeat: no second vest
    await api(t, "POST", `/api/admin/conversions/${c2.id}/reverse`, { reason: "refund" });
    ledger = await api(t, "GET", `/api/admin/referrers/${r.id}/ledger`);
    expect(ledger.entries.map((e: { kind: string; amount: string }) => e.kind).sort()).toEqual(["earn", "earn", "reverse", "vest"]);
    expect(ledger.balances[0]).toMatchObject({ earned: "2.50", vested: "2.50", pending: "0.00" });

    // Reversing a vested conversion takes the credit back out of vested.
    await api(t, "POST", `/api/admin/conversions/${c1.id}/reverse`, { reason: "chargeback" });
    ledger = await api(t, "GET", `/api/admin/referrers/${r.id}/ledger`);
    expect(ledger.balances[0]).toMatchObject({ earned: "0.00", vested: "0.00", pending: "0.00" });
  });

  test("no entry for an unknown code, no ref, an unattributed or duplicate conversion", async () => {
    const r = await api(t, "POST", "/api/admin/referrers", { name: "Solo", code: "SOLO" });
    await sale("NOPE", "REF-3");
    await sale(null, "REF-4");
    await postback(t, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: "REF-5", order_value: 1, order_currency: "USD" });
    const c = await sale("SOLO", "REF-6");
    await sale("SOLO", "REF-6"); // duplicate postback
    const ledger = await api(t, "GET", `/api/admin/referrers/${r.id}/ledger`);
    expect(ledger.entries.map((e: { conversion_id: string }) => e.conversion_id)).toEqual([c.id]);
  });

  test("test conversions are marked and kept out of balances", async () => {
    const r = await api(t, "POST", "/api/admin/referrers", { name: "Tester", code: "TESTREF" });
    await sale("TESTREF", "REF-T1", n.brand.testKey);
    const ledger = await api(t, "GET", `/api/admin/referrers/${r.id}/ledger`);
    expect(ledger.entries[0].test).toBe(true);
    expect(ledger.balances).toEqual([]);
  });

  test("signed read-only link: right signature shows the ledger escaped; wrong one is a 404", async () => {
    const r = (await api(t, "GET", "/api/admin/referrers")).data.find((x: { code: string }) => x.code === "FRIEND10");
    const path = new URL(r.ledger_url).pathname + new URL(r.ledger_url).search;
    const page = await t.request(path);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain("Friend &lt;b&gt;Co&lt;/b&gt;");
    expect(text).not.toContain("<b>Co</b>");
    const json = await (await t.request(path + "&format=json")).json();
    expect(json.referrer.code).toBe("FRIEND10");
    const sig = new URL(r.ledger_url).searchParams.get("sig")!;
    const forged = (sig[0] === "X" ? "Y" : "X") + sig.slice(1); // one character off, never the same
    expect((await t.request(path.replace(`sig=${sig}`, `sig=${forged}`))).status).toBe(404);
    expect((await t.request(`/r/${r.id}/ledger`)).status).toBe(404);
  });

  test("rejections: duplicate code 409, bad code 422, bad reward 422, no token 401", async () => {
    expect((await t.request("/api/admin/referrers", { method: "POST", token: t.adminToken, json: { name: "X", code: "FRIEND10" } })).status).toBe(409);
    expect((await t.request("/api/admin/referrers", { method: "POST", token: t.adminToken, json: { name: "X", code: "a b" } })).status).toBe(422);
    expect((await t.request("/api/admin/referrers", { method: "POST", token: t.adminToken, json: { name: "X", reward_pct: "150" } })).status).toBe(422);
    expect((await t.request("/api/admin/referrers", { method: "POST", json: { name: "X" } })).status).toBe(401);
  });

  test("ledger entries are append-only in the database", async () => {
    await expect(t.ctx.client.execute("UPDATE ledger_entries SET amount_minor = 1")).rejects.toThrow(/append-only/);
    await expect(t.ctx.client.execute("DELETE FROM ledger_entries")).rejects.toThrow(/append-only/);
  });
});
