import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, approve, click, makeBrand, makeProgram, makePublisher, postback } from "../helpers/factories";

// The close through the real app: write-once per period, 201 then 200 with the
// same summary, payouts with threshold / on hold, the invoice (fee alone for
// unattributed), bad periods, concurrent closes, reversal after settlement.
let t: TestApp;
const DEC_1 = Date.UTC(2026, 11, 1, 0, 0, 1);
let ids: Record<string, string> = {};

async function conversion(key: string, programId: string, path: string | null, ref: string, status: "approved" | "pending" = "approved") {
  const clickId = path ? (await click(t, path)).clickId : null;
  const res = await postback(t, key, { program_id: programId, brand_order_ref: ref, order_value: "100.00", order_currency: "USD", lc_click: clickId });
  const { conversion } = await res.json();
  if (status === "approved") await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`);
  return conversion.id as string;
}

beforeAll(async () => {
  t = await makeTestApp();
  const brand = await makeBrand(t, "Łódź Outdoor");
  const program = await makeProgram(t, brand.id, { name: "Tents", commission_type: "flat_cpa", commission_value: "80.00", network_fee_pct: "20" });
  const paid = await api(t, "POST", "/api/admin/publishers", { name: "Ремонт Блог", email: "remont@pub.example", payout_method: "PayPal", payout_details: { email: "remont@pub.example" } });
  const noMethod = await makePublisher(t, "No Method");
  const small = await api(t, "POST", "/api/admin/publishers", { name: "Small", email: "small@pub.example", payout_method: "PayPal", payout_details: { email: "small@pub.example" } });
  await api(t, "PUT", `/api/admin/publishers/${small.id}/payout-threshold`, { payout_threshold: "100.00" });
  const la = await approve(t, program.id, paid.id), lb = await approve(t, program.id, noMethod.id), lc = await approve(t, program.id, small.id);
  ids = { brand: brand.id, liveKey: brand.liveKey, testKey: brand.testKey, program: program.id, paid: paid.id, noMethod: noMethod.id, small: small.id };
  ids.c1 = await conversion(brand.liveKey, program.id, `/go/${la.slug}`, "O-1");
  await conversion(brand.liveKey, program.id, `/go/${lb.slug}`, "O-2");
  await conversion(brand.liveKey, program.id, `/go/${lc.slug}`, "O-3");
  await conversion(brand.liveKey, program.id, null, "O-4-unattributed");
  ids.pending = await conversion(brand.liveKey, program.id, `/go/${la.slug}`, "O-5-pending", "pending");
  await postback(t, brand.testKey, { program_id: program.id, brand_order_ref: "O-6-test", order_value: "100", order_currency: "USD" });
});
afterAll(() => t.close());

const close = (period: unknown) => t.request("/api/admin/settlements", { method: "POST", token: t.adminToken, json: { period } });

describe("closing a period", () => {
  test("a period that has not ended, a malformed one, a missing one: 422, nothing written", async () => {
    for (const period of ["2026-11", "2026-13", "11-2026", "", 202611, null]) {
      const res = await close(period);
      expect(res.status).toBe(422);
      expect((await res.json()).error.fields.period).toBeDefined();
    }
    expect((await api(t, "GET", "/api/admin/settlements")).data).toEqual([]);
    expect((await t.request("/api/admin/settlements", { method: "POST", json: { period: "2026-10" } })).status).toBe(401);
  });

  test("first close 201, rerun 200 with the identical summary", async () => {
    t.clock.set(DEC_1);
    const first = await close("2026-11");
    expect(first.status).toBe(201);
    const summary = await first.json();
    expect(summary).toMatchObject({ period: "2026-11", conversions_settled: 4, adjustments_settled: 0 });
    expect(summary.audit_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.currencies).toEqual([expect.objectContaining({
      currency: "USD", conversions: 4, gross_minor: 40000, publisher_payouts_minor: 3 * 6400, network_fee_minor: 4 * 1600, invoices: 1,
      invoiced_minor: 3 * 8000 + 1600, invoiced: "256.00",
      payouts: { scheduled: { count: 1, amount_minor: 6400 }, carried: { count: 1, amount_minor: 6400 }, on_hold: { count: 1, amount_minor: 6400 } },
    })]);
    const again = await close("2026-11");
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(summary);
    expect((await api(t, "GET", "/api/admin/settlements")).data).toEqual([{ status: "closed", ...summary }]);
  });

  test("payouts: scheduled with PayPal, on hold without a method, carried below its own threshold", async () => {
    const { data } = await api(t, "GET", "/api/admin/payouts?period=2026-11");
    const by = Object.fromEntries(data.map((p: { publisher_id: string }) => [p.publisher_id, p]));
    expect(by[ids.paid!]).toMatchObject({ status: "scheduled", amount: "64.00", method: "PayPal", due_at: "2026-12-15T00:00:00.000Z", threshold_minor: 5000 });
    expect(by[ids.noMethod!]).toMatchObject({ status: "on_hold", amount_minor: 6400 });
    expect(by[ids.small!]).toMatchObject({ status: "carried", amount_minor: 6400, threshold_minor: 10000 });
    expect((await api(t, "GET", "/api/admin/payouts?status=scheduled")).data.length).toBe(1);
    expect((await t.request("/api/admin/payouts?status=nope", { token: t.adminToken })).status).toBe(422);
  });

  test("invoice: gapless number, lines per program, unattributed = fee alone, Net 30", async () => {
    const { data } = await api(t, "GET", "/api/admin/invoices?period=2026-11");
    expect(data.length).toBe(1);
    const inv = await api(t, "GET", `/api/admin/invoices/${data[0].id}`);
    expect(inv).toMatchObject({ number: "LC-2026-11-0001", status: "issued", total: "256.00", payouts_minor: 19200, fee_minor: 6400, due_at: "2026-12-31T00:00:01.000Z" });
    expect(inv.lines).toEqual([expect.objectContaining({ kind: "program", description: "Tents", conversions: 4, amount_minor: 25600 })]);
    expect(inv.lines.reduce((s: number, l: { amount_minor: number }) => s + l.amount_minor, 0)).toBe(inv.total_minor);
  });

  test("a paid conversion reversed after settlement: the payout stays paid, an adjustment waits for the next close", async () => {
    const [p] = (await api(t, "GET", `/api/admin/payouts?period=2026-11&publisher_id=${ids.paid}`)).data;
    await api(t, "POST", `/api/admin/payouts/${p.id}/mark-paid`, { reference: "PP-NOV" });
    expect((await api(t, "GET", `/api/admin/conversions/${ids.c1}`)).status).toBe("paid");
    const rev = await api(t, "POST", `/api/admin/conversions/${ids.c1}/reverse`, { reason: "refund RMA-9" });
    expect(rev).toMatchObject({ changed: true, conversion: { status: "reversed" } });
    expect((await api(t, "GET", `/api/admin/payouts/${p.id}`)).status).toBe("paid");
    const rows = (await t.ctx.client.execute({ sql: "SELECT payout_minor, fee_minor, gross_minor, reason, settlement_id FROM settlement_adjustments WHERE conversion_id = ?", args: [ids.c1!] })).rows;
    expect(rows.map((r) => ({ ...r }) as Record<string, unknown>)).toEqual([{ payout_minor: -6400, fee_minor: -1600, gross_minor: -10000, reason: "Reversal of O-1: refund RMA-9", settlement_id: null }]);
    // Reversing again changes nothing and writes no second adjustment.
    expect((await api(t, "POST", `/api/admin/conversions/${ids.c1}/reverse`, { reason: "refund RMA-9" })).changed).toBe(false);
    expect((await t.ctx.client.execute({ sql: "SELECT count(*) AS n FROM settlement_adjustments", args: [] })).rows[0]!.n).toBe(1);
  });

  test("pending and test conversions were not settled; a late approval rolls into the next close", async () => {
    const row = await api(t, "GET", `/api/admin/conversions/${ids.pending}`);
    expect(row.status).toBe("pending");
    await api(t, "POST", `/api/admin/conversions/${ids.pending}/approve`);
    t.clock.set(Date.UTC(2027, 0, 1, 0, 0, 1));
    const dec = await (await close("2026-12")).json();
    expect(dec).toMatchObject({ conversions_settled: 1, adjustments_settled: 1 });
    // The small publisher's carried 64.00 came in too, the on-hold one as well (still no method: on hold again).
    const { data } = await api(t, "GET", "/api/admin/payouts?period=2026-12");
    const by = Object.fromEntries(data.map((p: { publisher_id: string }) => [p.publisher_id, p]));
    // The late approval (64.00) less the reversal of the paid O-1 (-64.00): nothing to pay.
    expect(by[ids.paid!]).toMatchObject({ status: "carried", earned_minor: 6400, adjustments_minor: -6400, amount_minor: 0, carried_in_minor: 0 });
    const [inv] = (await api(t, "GET", "/api/admin/invoices?period=2026-12")).data;
    expect(inv).toMatchObject({ number: "LC-2026-12-0001", total_minor: 8000 - 8000, adjustments_minor: -8000 });
    expect(by[ids.small!]).toMatchObject({ status: "carried", amount_minor: 6400, carried_in_minor: 6400 });
    expect(by[ids.noMethod!]).toMatchObject({ status: "on_hold", amount_minor: 6400, carried_in_minor: 6400 });
    const nov = (await api(t, "GET", "/api/admin/payouts?period=2026-11")).data;
    expect(nov.filter((p: { carried_into: string | null }) => p.carried_into === dec.settlement_id).length).toBe(2);
  });

  test("an earlier period cannot be closed after a later one", async () => {
    const res = await close("2026-10");
    expect(res.status).toBe(409);
  });
});
