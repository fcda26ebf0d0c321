import { afterAll, beforeAll, expect, test } from "bun:test";
import { boot } from "../../src/boot";
import { autoApproveDue } from "../../src/conversions/review";
import { closeDuePeriods } from "../../src/settlement/close-due";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, approve, click, makeBrand, makeProgram, postback } from "../helpers/factories";

// Three month ends on a fake clock (Oct, Nov, Dec 2026): clicks and postbacks,
// manual, automatic and late approvals; the close on Nov 1 run twice at once by
// two instances (a restart on the 1st); a reversal after settlement netted on the
// next payout and invoice; a publisher below the threshold carried into month 3;
// a process down on Dec 1 catching up on start; a failed payout carried back in.
let t: TestApp;
const at = (m: number, d: number, h = 12) => Date.UTC(2026, m - 1, d, h);
const ids: Record<string, string> = {};
let n: { key: string; tents: string; boots: string; slugA: string; slugB: string; slugBoots: string };

async function order(slug: string | null, programId: string, ref: string, key = n.key) {
  const clickId = slug ? (await click(t, `/go/${slug}`)).clickId : null;
  const res = await postback(t, key, { program_id: programId, brand_order_ref: ref, order_value: "250.00", order_currency: "USD", lc_click: clickId });
  expect(res.status).toBe(200);
  return (await res.json()).conversion.id as string;
}
const approveIt = (id: string) => api(t, "POST", `/api/admin/conversions/${id}/approve`);
const payouts = async (period: string) => Object.fromEntries((await api(t, "GET", `/api/admin/payouts?period=${period}`)).data.map((p: { publisher_id: string }) => [p.publisher_id, p]));
const invoices = async (period: string) => (await api(t, "GET", `/api/admin/invoices?period=${period}`)).data;

beforeAll(async () => {
  t = await makeTestApp({}, { now: at(10, 1) });
  const brand = await makeBrand(t, "Acme");
  // Tents: 100.00 flat, 20% fee -> publisher 80.00. Boots: 60.00 flat -> publisher 48.00, auto-approved after 7 days.
  const tents = await makeProgram(t, brand.id, { name: "Tents", commission_type: "flat_cpa", commission_value: "100.00", network_fee_pct: "20" });
  const boots = await makeProgram(t, brand.id, { name: "Boots", commission_type: "flat_cpa", commission_value: "60.00", network_fee_pct: "20", auto_approve_days: 7 });
  const pm = (email: string) => ({ payout_method: "PayPal", payout_details: { email } });
  const a = await api(t, "POST", "/api/admin/publishers", { name: "Alpha", email: "a@pub.example", ...pm("a@pub.example") });
  const b = await api(t, "POST", "/api/admin/publishers", { name: "Beta", email: "b@pub.example", ...pm("b@pub.example") });
  ids.A = a.id; ids.B = b.id;
  n = {
    key: brand.liveKey, tents: tents.id, boots: boots.id,
    slugA: (await approve(t, tents.id, a.id)).slug, slugB: (await approve(t, tents.id, b.id)).slug, slugBoots: (await approve(t, boots.id, b.id)).slug,
  };
  ids.testKey = brand.testKey;
});
afterAll(() => t.close());

test("month 1 (October): postbacks, approvals by hand, by the clock, and one left pending", async () => {
  t.clock.set(at(10, 5));
  ids.a1 = await order(n.slugA, n.tents, "OCT-1");
  ids.b1 = await order(n.slugBoots, n.boots, "OCT-2");
  ids.unattributed = await order(null, n.tents, "OCT-3");
  await order(null, n.tents, "TEST-1", ids.testKey); // a test conversion never settles
  t.clock.set(at(10, 20));
  ids.a2 = await order(n.slugA, n.tents, "OCT-4");
  t.clock.set(at(10, 28));
  ids.late = await order(n.slugA, n.tents, "OCT-5-late");
  for (const id of [ids.a1!, ids.a2!, ids.unattributed!]) await approveIt(id);
  expect((await autoApproveDue(t.ctx)).done).toBe(1); // Oct 28 >= Oct 5 + 7 days: b1
});

test("Nov 1: a restart on the 1st and two closes at once settle October exactly once", async () => {
  t.clock.set(at(11, 1, 0) + 5 * 60_000);
  // A second instance started on the 1st: its own connection and scheduler job, racing the API.
  const second = await boot(t.ctx.config, { clock: t.clock, geoBytes: null });
  try {
    const [viaApi, viaJob, viaApi2] = await Promise.all([
      t.request("/api/admin/settlements", { method: "POST", token: t.adminToken, json: { period: "2026-10" } }),
      closeDuePeriods(second.ctx),
      t.request("/api/admin/settlements", { method: "POST", token: t.adminToken, json: { period: "2026-10" } }),
    ]);
    const statuses = [viaApi.status, viaApi2.status];
    const created = statuses.filter((s) => s === 201).length + viaJob.done;
    expect(created).toBe(1);
    expect(statuses.every((s) => s === 200 || s === 201)).toBe(true);
    const [s1, s2] = [await viaApi.json(), await viaApi2.json()];
    expect(s1).toEqual(s2);
    expect(s1).toMatchObject({ period: "2026-10", conversions_settled: 4 });
    // The job on the restarted instance again: nothing left to close.
    expect(await closeDuePeriods(second.ctx)).toEqual({ done: 0, alreadyDone: 0, failures: 0, periods: [] });
  } finally {
    await second.ctx.clicks.close();
    second.database.close();
  }
  const oct = await payouts("2026-10");
  expect(oct[ids.A!]).toMatchObject({ status: "scheduled", amount_minor: 16000, conversions: 2 });
  expect(oct[ids.B!]).toMatchObject({ status: "carried", amount_minor: 4800 }); // below 50.00
  const [inv] = await invoices("2026-10");
  // Tents: 3 conversions (one unattributed: fee 20.00 alone) = 80+20 + 80+20 + 20; Boots: 48 + 12.
  expect(inv).toMatchObject({ number: "LC-2026-10-0001", total_minor: 22000 + 6000, fee_minor: 6000 + 1200, payouts_minor: 16000 + 4800 });
  expect((await api(t, "GET", `/api/admin/conversions/${ids.late}`)).status).toBe("pending");
});

test("month 2 (November): late approval, a reversal after settlement, October paid", async () => {
  t.clock.set(at(11, 3));
  await approveIt(ids.late!); // late approval: rolls into the November close
  ids.a3 = await order(n.slugA, n.tents, "NOV-1");
  await approveIt(ids.a3!);
  t.clock.set(at(11, 10));
  const rev = await api(t, "POST", `/api/admin/conversions/${ids.a2}/reverse`, { reason: "chargeback" }); // settled in October
  expect(rev.conversion.status).toBe("reversed");
  const [octA] = (await api(t, "GET", `/api/admin/payouts?period=2026-10&publisher_id=${ids.A}`)).data;
  await api(t, "POST", `/api/admin/payouts/${octA.id}/mark-paid`, { reference: "PP-OCT-A" });
  expect((await api(t, "GET", `/api/admin/conversions/${ids.a1}`)).status).toBe("paid");
  expect((await api(t, "GET", `/api/admin/conversions/${ids.a2}`)).status).toBe("reversed");
});

test("Dec 3: the process was down on Dec 1 and catches up November on start", async () => {
  t.clock.set(at(12, 3));
  const r = await closeDuePeriods(t.ctx);
  expect(r).toMatchObject({ done: 1, failures: 0, periods: ["2026-11"] });
  const nov = await payouts("2026-11");
  // Alpha: late (80) + NOV-1 (80) - reversal of a2 (80) = 80.00.
  expect(nov[ids.A!]).toMatchObject({ status: "scheduled", earned_minor: 16000, adjustments_minor: -8000, amount_minor: 8000 });
  const lines = (await api(t, "GET", `/api/admin/payouts/${nov[ids.A!].id}`)).lines;
  expect(lines).toContainEqual(expect.objectContaining({ kind: "adjustment", amount_minor: -8000, description: "Reversal of OCT-4: chargeback" }));
  // Beta earned nothing new: its 48.00 is carried again.
  expect(nov[ids.B!]).toMatchObject({ status: "carried", carried_in_minor: 4800, amount_minor: 4800 });
  const [inv] = await invoices("2026-11");
  expect(inv).toMatchObject({ number: "LC-2026-11-0001", payouts_minor: 16000, fee_minor: 4000, adjustments_minor: -10000, total_minor: 10000 });
  const full = await api(t, "GET", `/api/admin/invoices/${inv.id}`);
  expect(full.lines.map((l: { kind: string; amount_minor: number }) => [l.kind, l.amount_minor])).toEqual([["program", 20000], ["adjustment", -10000]]);
  // The adjustment was taken once: a second reverse is a no-op and the next close finds nothing.
  await api(t, "POST", `/api/admin/conversions/${ids.a2}/reverse`, { reason: "chargeback" });
  await api(t, "POST", `/api/admin/payouts/${nov[ids.A!].id}/mark-failed`, { reason: "PayPal account limited" });
});

test("month 3 (December): Beta crosses the threshold with its carried balance; Alpha's failed payout comes back", async () => {
  t.clock.set(at(12, 5));
  ids.b2 = await order(n.slugBoots, n.boots, "DEC-1");
  await approveIt(ids.b2!);
  t.clock.set(Date.UTC(2027, 0, 1, 0, 1));
  const res = await t.request("/api/admin/settlements", { method: "POST", token: t.adminToken, json: { period: "2026-12" } });
  expect(res.status).toBe(201);
  const dec = await res.json();
  expect(dec).toMatchObject({ conversions_settled: 1, adjustments_settled: 0 });
  const p = await payouts("2026-12");
  expect(p[ids.B!]).toMatchObject({ status: "scheduled", earned_minor: 4800, carried_in_minor: 4800, amount_minor: 9600 });
  expect(p[ids.A!]).toMatchObject({ status: "scheduled", earned_minor: 0, carried_in_minor: 8000, amount_minor: 8000 });
  // Every close listed once, in order, each with its own audit hash.
  const all = (await api(t, "GET", "/api/admin/settlements")).data;
  expect(all.map((s: { period: string }) => s.period)).toEqual(["2026-12", "2026-11", "2026-10"]);
  expect(new Set(all.map((s: { audit_hash: string }) => s.audit_hash)).size).toBe(3);
  // No conversion was settled twice, and the test conversion never was.
  const rows = await t.ctx.client.execute("SELECT settlement_id, is_test, count(*) AS n FROM conversions GROUP BY settlement_id IS NULL, is_test");
  expect(rows.rows.map((r) => [r.settlement_id === null, Number(r.is_test), Number(r.n)]).sort()).toEqual([[false, 0, 7], [true, 1, 1]].sort());
});
