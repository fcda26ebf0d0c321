import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { autoApproveDue } from "../../src/conversions/review";
import { DAY_MS } from "../../src/shared/clock";
import { makeTestApp, T0, type TestApp } from "../helpers/app";
import { api, click, makeBrand, makeProgram, network, postback } from "../helpers/factories";

let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
beforeAll(async () => { t = await makeTestApp(); n = await network(t); });
afterAll(() => t.close());

async function conv(key = n.brand.liveKey, programId = n.program.id) {
  const { clickId } = await click(t, n.pathA);
  const j = await (await postback(t, key, { program_id: programId, brand_order_ref: `R-${crypto.randomUUID()}`, order_value: "50", order_currency: "USD", lc_click: clickId })).json();
  return j.conversion as { id: string; status: string };
}
const audit = (id: string) => api(t, "GET", `/api/admin/audit?entity_id=${id}`);

describe("admin approve / reverse", () => {
  test("approve, then approve again is a no-op success", async () => {
    const c = await conv();
    const a = await api(t, "POST", `/api/admin/conversions/${c.id}/approve`);
    expect(a.changed).toBe(true);
    expect(a.conversion.status).toBe("approved");
    const again = await api(t, "POST", `/api/admin/conversions/${c.id}/approve`);
    expect(again.changed).toBe(false);
    const trail = (await audit(c.id)).data.map((r: { action: string }) => r.action);
    expect(trail).toEqual(["conversion.approved", "conversion.created"]);
  });

  test("reverse needs a reason, records who/when/why, cannot be approved afterwards", async () => {
    const c = await conv();
    const noReason = await t.request(`/api/admin/conversions/${c.id}/reverse`, { method: "POST", token: t.adminToken, json: {} });
    expect(noReason.status).toBe(422);
    expect((await audit(c.id)).data.length).toBe(1);
    const r = await api(t, "POST", `/api/admin/conversions/${c.id}/reverse`, { reason: "fraud: click farm" });
    expect(r.conversion).toMatchObject({ status: "reversed", reversal_reason: "fraud: click farm" });
    const [row] = (await audit(c.id)).data;
    expect(row).toMatchObject({ action: "conversion.reversed", actor_type: "admin", from_status: "pending", to_status: "reversed", reason: "fraud: click farm" });
    const approveAfter = await t.request(`/api/admin/conversions/${c.id}/approve`, { method: "POST", token: t.adminToken });
    expect(approveAfter.status).toBe(409);
  });

  test("reversal window: 30 days from insert, to the millisecond", async () => {
    const c1 = await conv();
    const c2 = await conv();
    t.clock.advance(30 * DAY_MS);
    expect((await api(t, "POST", `/api/admin/conversions/${c1.id}/reverse`, { reason: "refund" })).conversion.status).toBe("reversed");
    t.clock.advance(1);
    const late = await t.request(`/api/admin/conversions/${c2.id}/reverse`, { method: "POST", token: t.adminToken, json: { reason: "refund" } });
    expect(late.status).toBe(409);
    expect((await late.json()).error.message).toContain("30 days");
    t.clock.set(T0);
  });

  test("unknown conversion -> 404; no token -> 401", async () => {
    expect((await t.request(`/api/admin/conversions/nope/approve`, { method: "POST", token: t.adminToken })).status).toBe(404);
    expect((await t.request(`/api/admin/conversions/nope/approve`, { method: "POST" })).status).toBe(401);
  });
});

describe("brand reversal", () => {
  test("a brand reverses its own conversion, not another brand's", async () => {
    const c = await conv();
    const other = await makeBrand(t, "Other");
    const foreign = await t.request(`/api/conversions/${c.id}/reverse`, { method: "POST", token: other.liveKey, json: { reason: "refund" } });
    expect(foreign.status).toBe(404);
    const own = await t.request(`/api/conversions/${c.id}/reverse`, { method: "POST", token: n.brand.liveKey, json: { reason: "customer refund" } });
    expect(own.status).toBe(200);
    const [row] = (await audit(c.id)).data;
    expect(row).toMatchObject({ actor_type: "brand", reason: "customer refund" });
  });

  test("GET /api/conversions lists only the brand's own, paged", async () => {
    const other = await makeBrand(t, "Paged Other");
    const op = await makeProgram(t, other.id);
    await postback(t, other.liveKey, { program_id: op.id, brand_order_ref: "OTHER-1", order_value: 1, order_currency: "USD" });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { brand_id: string; id: string }[]; next_cursor: string | null } =
        await api(t, "GET", `/api/conversions?limit=2${cursor ? `&cursor=${cursor}` : ""}`, undefined, n.brand.liveKey);
      expect(page.data.length).toBeLessThanOrEqual(2);
      for (const c of page.data) { expect(c.brand_id).toBe(n.brand.id); seen.push(c.id); }
      cursor = page.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await api(t, "GET", "/api/admin/conversions?limit=200");
    expect(seen.length).toBe(all.data.filter((c: { brand_id: string }) => c.brand_id === n.brand.id).length);
  });
});

describe("test keys and live rows", () => {
  test("a test key neither sees nor reverses live conversions; a live key does not see test ones", async () => {
    const live = await conv();
    const test = await conv(n.brand.testKey);
    const asTest = await api(t, "GET", "/api/conversions?limit=200", undefined, n.brand.testKey);
    expect(asTest.data.every((c: { test: boolean }) => c.test)).toBe(true);
    expect(asTest.data.map((c: { id: string }) => c.id)).toContain(test.id);
    const reverse = await t.request(`/api/conversions/${live.id}/reverse`, { method: "POST", token: n.brand.testKey, json: { reason: "oops" } });
    expect(reverse.status).toBe(404);
    expect((await api(t, "GET", `/api/admin/conversions/${live.id}`)).status).toBe("pending");
    expect((await t.request(`/api/conversions/${test.id}`, { token: n.brand.liveKey })).status).toBe(404);
  });
});

describe("racing review actions", () => {
  test("approve and reverse at once: the audit trail tells the real sequence", async () => {
    const c = await conv();
    const [a, r] = await Promise.all([
      t.request(`/api/admin/conversions/${c.id}/approve`, { method: "POST", token: t.adminToken }),
      t.request(`/api/admin/conversions/${c.id}/reverse`, { method: "POST", token: t.adminToken, json: { reason: "fraud" } }),
    ]);
    expect([a.status, r.status].every((s) => s === 200 || s === 409)).toBe(true);
    const trail = (await audit(c.id)).data.reverse().map((x: { from_status: string | null; to_status: string }) => [x.from_status, x.to_status]);
    // Each row starts where the previous one ended.
    for (let i = 1; i < trail.length; i++) expect(trail[i][0]).toBe(trail[i - 1][1]);
  });
});

describe("auto-approve after N days", () => {
  test("only pending conversions of programs with auto_approve_days, once old enough; re-run is a no-op", async () => {
    const brand = await makeBrand(t, "Auto");
    const auto = await makeProgram(t, brand.id, { auto_approve_days: 3 });
    const manual = await makeProgram(t, brand.id);
    const send = async (programId: string, ref: string) =>
      (await (await postback(t, brand.liveKey, { program_id: programId, brand_order_ref: ref, order_value: 10, order_currency: "USD" })).json()).conversion.id as string;
    const a = await send(auto.id, "A-1");
    const m = await send(manual.id, "M-1");
    t.clock.advance(3 * DAY_MS - 1);
    await autoApproveDue(t.ctx);
    expect((await api(t, "GET", `/api/admin/conversions/${a}`)).status).toBe("pending");
    t.clock.advance(1);
    const r = await autoApproveDue(t.ctx);
    expect(r.done).toBeGreaterThanOrEqual(1);
    expect((await api(t, "GET", `/api/admin/conversions/${a}`)).status).toBe("approved");
    expect((await api(t, "GET", `/api/admin/conversions/${m}`)).status).toBe("pending");
    const [row] = (await audit(a)).data;
    expect(row).toMatchObject({ action: "conversion.approved", actor_type: "system" });
    expect((await autoApproveDue(t.ctx)).done).toBe(0);
    t.clock.set(T0);
  });
});

describe("audit trail is append-only", () => {
  test("UPDATE and DELETE on audit_log are refused by the database", async () => {
    await conv();
    await expect(t.ctx.client.execute("UPDATE audit_log SET reason = 'x'")).rejects.toThrow(/append-only/);
    await expect(t.ctx.client.execute("DELETE FROM audit_log")).rejects.toThrow(/append-only/);
  });
});
