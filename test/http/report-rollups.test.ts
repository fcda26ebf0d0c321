import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { reattributeLate } from "../../src/conversions/reattribute-late";
import { SYSTEM } from "../../src/auth/authenticate";
import { MIGRATIONS } from "../../src/db/migrations.gen";
import { figures } from "../../src/reports/kpis";
import { groupedStats } from "../../src/reports/grouped-stats";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, approve, click, makeBrand, makeProgram, postback } from "../helpers/factories";

// The report rollups (src/db/schema/report-rollups.ts) must always equal a GROUP BY over
// the base rows. A seeded random walk drives the real app: clicks (human and bot) on two
// instances, postbacks (credited, unattributed, test, on a click the other instance has
// not written yet), approvals, reversals, a month-end settlement with payouts marked
// paid, late re-attribution; after each phase every rollup row is compared with the base.
setDefaultTimeout(120_000);
const OCT_3 = Date.UTC(2026, 9, 3, 9, 7);
const NOV_1 = Date.UTC(2026, 10, 1, 0, 5);
let a: TestApp;
let b: TestApp;
const links: { slug: string; programId: string }[] = [];
const programs: { id: string; currency: string }[] = [];
let brand: Awaited<ReturnType<typeof makeBrand>>;
const convIds: string[] = [];

let seed = 20261101;
const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const pick = <T,>(xs: T[]) => xs[rnd(xs.length)]!;
const BOT = { "user-agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)" };

/** The rollup rows a GROUP BY over the base rows gives (the migration's backfill, as a query). */
const EXPECTED_CLICKS = `SELECT d.dim, CASE d.dim WHEN 'X' THEN c.publisher_id ELSE '' END AS key1, g.grain, c.created_at / g.width AS bucket,
    CASE d.dim WHEN 'P' THEN c.publisher_id ELSE c.program_id END AS key2, count(*) AS n
  FROM clicks c CROSS JOIN (SELECT 'G' AS dim UNION ALL SELECT 'P' UNION ALL SELECT 'X') d
    CROSS JOIN (SELECT 1 AS grain, 3600000 AS width UNION ALL SELECT 2, 86400000) g
  WHERE c.is_bot = 0 GROUP BY 1, 2, 3, 4, 5`;
const EXPECTED_CONVERSIONS = `SELECT d.dim, CASE d.dim WHEN 'X' THEN coalesce(v.publisher_id, '') ELSE '' END AS key1, g.grain, v.created_at / g.width AS bucket,
    CASE d.dim WHEN 'P' THEN coalesce(v.publisher_id, '') ELSE v.program_id END AS key2, v.currency, v.status,
    count(*) AS n, sum(v.program_value_minor) AS sales, sum(v.commission_minor) AS commission, sum(v.network_fee_minor) AS fee, sum(v.publisher_payout_minor) AS payout
  FROM conversions v CROSS JOIN (SELECT 'G' AS dim UNION ALL SELECT 'P' UNION ALL SELECT 'X') d
    CROSS JOIN (SELECT 1 AS grain, 3600000 AS width UNION ALL SELECT 2, 86400000) g
  WHERE v.is_test = 0 GROUP BY 1, 2, 3, 4, 5, 6, 7`;

async function rows(sql: string): Promise<string[]> {
  return (await a.ctx.client.execute(sql)).rows.map((r) => JSON.stringify(Object.values(r))).sort();
}

/** Every rollup row (empty ones left out: a status change can empty a row) equals its GROUP BY. */
async function expectRollupsExact() {
  await a.ctx.clicks.flush();
  await b.ctx.clicks.flush();
  expect(await rows("SELECT dim, key1, grain, bucket, key2, clicks FROM click_rollups WHERE clicks != 0")).toEqual(await rows(EXPECTED_CLICKS));
  expect(await rows(`SELECT dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor
    FROM conversion_rollups WHERE conversions != 0 OR sales_minor != 0 OR commission_minor != 0 OR fee_minor != 0 OR payout_minor != 0`)).toEqual(await rows(EXPECTED_CONVERSIONS));
}

/** One random step of the network's life: mostly clicks and sales, some reviews, time passing. */
async function step(i: number) {
  const r = rnd(100);
  const t = pick([a, b]);
  const link = pick(links);
  const program = programs.find((p) => p.id === link.programId)!;
  const sale = (clickRef: string | null, key = brand.liveKey) => postback(t, key, {
    program_id: program.id, brand_order_ref: `R-${i}`, order_value: `${10 + rnd(500)}.${rnd(90) + 10}`, order_currency: program.currency, lc_click: clickRef,
  });
  if (r < 35) await click(t, `/go/${link.slug}`, rnd(8) === 0 ? BOT : {});
  else if (r < 60) {
    const { clickId } = await click(t, `/go/${link.slug}`);
    await t.ctx.clicks.flush();
    const res = await sale(clickId, rnd(12) === 0 ? brand.testKey : brand.liveKey);
    expect(res.status).toBe(200);
    convIds.push((await res.json()).conversion.id);
  } else if (r < 66) {
    // A click the other instance still holds in its buffer: recorded unattributed now, re-attributed later.
    const other = t === a ? b : a;
    const { clickId } = await click(other, `/go/${link.slug}`);
    const res = await sale(clickId);
    expect(res.status).toBe(200);
    convIds.push((await res.json()).conversion.id);
  } else if (r < 70) {
    const res = await sale(null);
    expect(res.status).toBe(200);
    convIds.push((await res.json()).conversion.id);
  } else if (r < 82 && convIds.length) {
    await t.request(`/api/admin/conversions/${pick(convIds)}/approve`, { method: "POST", token: a.adminToken });
  } else if (r < 88 && convIds.length) {
    await t.request(`/api/admin/conversions/${pick(convIds)}/reverse`, { method: "POST", token: a.adminToken, json: { reason: "refund" } });
  } else {
    const ms = pick([60_000, 7 * 60_000, 40 * 60_000, 5 * 3_600_000, 26 * 3_600_000]);
    a.clock.advance(ms); b.clock.advance(ms);
  }
}

beforeAll(async () => {
  a = await makeTestApp({ CLICK_FLUSH_MS: "10000" }, { now: OCT_3 });
  b = await makeTestApp({ DATABASE_URL: a.ctx.config.DATABASE_URL, CLICK_FLUSH_MS: "10000" }, { now: OCT_3 });
  brand = await makeBrand(a, "Acme");
  for (const [name, over] of [["Tents", {}], ["Zelte", { currency: "EUR", commission_type: "flat_cpa", commission_value: "7.50" }]] as const) {
    const p = await makeProgram(a, brand.id, { name, ...over });
    programs.push({ id: p.id, currency: p.currency });
  }
  for (const name of ["Alpha Blog", "Beta Reviews", "Gamma Deals"]) {
    const email = `${name.split(" ")[0]!.toLowerCase()}@pub.example`;
    const pub = await api(a, "POST", "/api/admin/publishers", { name, email, payout_method: "PayPal", payout_details: { email } });
    for (const p of programs) links.push({ slug: (await approve(a, p.id, pub.id)).slug, programId: p.id });
  }
});
afterAll(async () => { await b.close(); await a.close(); });

describe("report rollups equal the base rows", () => {
  test("after a random month of clicks, sales, approvals and reversals on two instances", async () => {
    for (let i = 0; i < 160; i++) await step(i);
    await expectRollupsExact();
    const [{ n }] = (await a.ctx.client.execute("SELECT count(*) AS n FROM conversions WHERE publisher_id IS NULL AND attribution_reason = 'click_not_found'")).rows as unknown as [{ n: number }];
    expect(Number(n)).toBeGreaterThan(0); // the walk did make late clicks
  });

  test("after late re-attribution, a month-end close and payouts marked paid", async () => {
    a.clock.set(NOV_1); b.clock.set(NOV_1);
    await a.ctx.clicks.flush(); await b.ctx.clicks.flush();
    const late = await reattributeLate(a.ctx);
    expect(late.done).toBeGreaterThan(0);
    for (const id of convIds) await a.request(`/api/admin/conversions/${id}/approve`, { method: "POST", token: a.adminToken });
    await expectRollupsExact();
    await api(a, "POST", "/api/admin/settlements", { period: "2026-10" });
    const payouts = await api(a, "GET", "/api/admin/payouts?period=2026-10");
    const list = ((payouts.payouts ?? payouts.data ?? payouts) as { id: string; status: string }[]).filter((p) => p.status === "scheduled");
    expect(list.length).toBeGreaterThan(0);
    for (const p of list) await api(a, "POST", `/api/admin/payouts/${p.id}/mark-paid`, { reference: `TX-${p.id.slice(-6)}` });
    const [{ paid }] = (await a.ctx.client.execute("SELECT count(*) AS paid FROM conversions WHERE status = 'paid'")).rows as unknown as [{ paid: number }];
    expect(Number(paid)).toBeGreaterThan(0);
    await expectRollupsExact();
    for (let i = 1000; i < 1060; i++) await step(i); // November: the walk goes on over paid rows (reversals of paid ones are refused)
    await expectRollupsExact();
  });

  test("the migration's backfill rebuilds the same rollups from the base rows (an upgrade of a database with history)", async () => {
    const backfill = MIGRATIONS.find((m) => m.tag.endsWith("_report_rollups_backfill"))!.sql.split("--> statement-breakpoint")
      .map((s) => s.replace(/^--.*$/gm, "").trim()).filter((s) => s.startsWith("INSERT"));
    expect(backfill.length).toBe(8);
    await a.ctx.client.batch(["DELETE FROM click_rollups", "DELETE FROM conversion_rollups", ...backfill], "write");
    await expectRollupsExact();
    expect(Number((await a.ctx.client.execute("SELECT count(*) AS n FROM conversion_rollups WHERE conversions = 0")).rows[0]!.n)).toBe(0);
  });

  test("a click whose id runs ahead of its created_at (the clock stepped back) still counts in an edge's base rows", async () => {
    const hour = Date.UTC(2026, 11, 15, 10);
    a.clock.set(hour + 3 * 3_600_000);
    await click(a, `/go/${links[0]!.slug}`); // moves the id generator 3 hours ahead
    a.clock.set(hour + 10 * 60_000);
    const { clickId } = await click(a, `/go/${links[0]!.slug}`);
    await a.ctx.clicks.flush();
    const [row] = (await a.ctx.client.execute({ sql: "SELECT created_at FROM clicks WHERE id = ?", args: [clickId] })).rows;
    expect(Number(row!.created_at)).toBe(hour + 10 * 60_000);
    expect(clickId.replace(/-/g, "").slice(0, 12) > (hour + 2 * 3_600_000).toString(16).padStart(12, "0")).toBe(true); // far beyond the id slack
    for (const range of [{ start: hour + 5 * 60_000, end: hour + 50 * 60_000 }, { start: hour - 3_600_000 + 1, end: hour + 20 * 60_000 }]) {
      expect((await figures(a.ctx, SYSTEM, range)).clicks).toBe(1);
    }
    await expectRollupsExact();
  });

  test("the figures read from the rollups equal the same figures counted from the base rows", async () => {
    const now = a.clock.now();
    const ranges = [{ start: Date.UTC(2026, 9, 1), end: now + 1 }, { start: OCT_3 + 7 * 60_000 + 13, end: NOV_1 - 999 }, { start: Date.UTC(2026, 9, 5, 5, 30), end: Date.UTC(2026, 9, 6, 5, 30) }];
    const base = async (range: { start: number; end: number }, where = "1") => {
      const c = (await a.ctx.client.execute({ sql: `SELECT count(*) AS n FROM clicks WHERE is_bot = 0 AND created_at >= ? AND created_at < ? AND ${where}`, args: [range.start, range.end] })).rows[0]!;
      const m = (await a.ctx.client.execute({ sql: `SELECT currency, count(*) AS n, sum(commission_minor) AS commission, sum(publisher_payout_minor) AS payout FROM conversions
        WHERE is_test = 0 AND status != 'reversed' AND created_at >= ? AND created_at < ? AND ${where} GROUP BY currency ORDER BY currency`, args: [range.start, range.end] })).rows;
      return { clicks: Number(c.n), money: m.map((r) => ({ currency: String(r.currency), n: Number(r.n), commission: Number(r.commission), payout: Number(r.payout) })) };
    };
    for (const range of ranges) {
      const f = await figures(a.ctx, SYSTEM, range);
      const want = await base(range);
      expect(f.clicks).toBe(want.clicks);
      expect(f.money.map((m) => m.role === "admin" && { currency: m.currency, commission: m.commission, payout: m.payout })).toEqual(want.money.map((m) => ({ currency: m.currency, commission: m.commission, payout: m.payout })));
      expect(f.conversions).toBe(want.money.reduce((s, m) => s + m.n, 0));
      const byPublisher = await groupedStats({ ctx: a.ctx, actor: SYSTEM, range, by: "publisher" });
      for (const g of byPublisher) {
        const w = await base(range, g.key ? `publisher_id = '${g.key}'` : "(publisher_id IS NULL OR publisher_id = '')");
        expect([g.key, g.clicks, g.conversions]).toEqual([g.key, w.clicks, w.money.reduce((s, m) => s + m.n, 0)]);
      }
    }
  });
});
