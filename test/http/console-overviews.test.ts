import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { lastEventId, liveConnections, recheckLiveSessions } from "../../src/console/live";
import { endSession } from "../../src/auth/sessions";
import { users } from "../../src/db/schema";
import { makeTestApp, type TestApp } from "../helpers/app";
import { login, makeUser } from "../helpers/console";
import { api, click, network, postback } from "../helpers/factories";

// The overviews and the publisher's stats, through the real app and real sessions:
// every figure comes from the scoped report verbs, so each role sees only its own.
// Password hashing (argon2id) for four users is slow on a busy machine.
setDefaultTimeout(30_000);
let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
const cookies = { admin: "", brand: "", pubA: "", pubB: "" };
const ids = { a1: "", a2: "" };

async function sale(path: string | null, ref: string, value = "100") {
  const clickId = path ? (await click(t, path)).clickId : null;
  await t.ctx.clicks.flush(); // clicks are written in batches; figures count written rows
  const res = await postback(t, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: ref, order_value: value, order_currency: "USD", lc_click: clickId });
  expect(res.status).toBe(200);
  return ((await res.json()) as { conversion: { id: string } }).conversion.id;
}
const get = (path: string, cookie: string, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie, ...headers } });
const text = async (path: string, cookie: string) => { const r = await get(path, cookie); expect(r.status).toBe(200); return r.text(); };
/** The text inside the element with this id (tags stripped), for asserting figures. */
function region(html: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  expect(at).toBeGreaterThan(-1);
  return html.slice(at, html.indexOf("</section>", at)).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

beforeAll(async () => {
  t = await makeTestApp();
  n = await network(t);
  await makeUser(t, "ops@network.example", "admin");
  await makeUser(t, "buyer@acme.example", "brand", { brand_id: n.brand.id });
  await makeUser(t, "alpha@pub.example", "publisher", { publisher_id: n.pubA.id });
  await makeUser(t, "beta@pub.example", "publisher", { publisher_id: n.pubB.id });
  for (const [k, email] of [["admin", "ops@network.example"], ["brand", "buyer@acme.example"], ["pubA", "alpha@pub.example"], ["pubB", "beta@pub.example"]] as const) {
    cookies[k] = (await login(t, email)).cookie;
  }
  // Today (2026-11-02, UTC): A has 3 clicks (one tagged newsletter) and 2 sales of 100 USD (10 USD commission, 2 fee, 8 payout);
  // B has 1 click and 1 sale of 250 USD; one unattributed sale of 50 USD; one test sale for A (never in figures).
  await click(t, `${n.pathA}?sub1=newsletter`);
  ids.a1 = await sale(`${n.pathA}?sub1=newsletter`, "A-1");
  ids.a2 = await sale(n.pathA, "A-2");
  await sale(n.pathB, "B-1", "250");
  await sale(null, "NONE", "50");
  const testClick = (await click(t, n.pathA)).clickId;
  await postback(t, n.brand.testKey, { program_id: n.program.id, brand_order_ref: "A-TEST", order_value: "999", order_currency: "USD", lc_click: testClick });
  await t.ctx.clicks.flush();
});
afterAll(() => t.close());

describe("overviews", () => {
  test("admin: clicks, conversions, CR, gross commission, network fee and publisher payouts of the whole network", async () => {
    const html = await text("/admin", cookies.admin);
    const kpis = region(html, "kpis");
    // Today: 5 human clicks (A 3 + B 1 + A's test click), 4 live conversions; commission 10+10+25+5 = 50, fee 10, payouts 8+8+20 = 36.
    expect(kpis).toContain("Today");
    expect(kpis).toMatch(/Clicks 5 new/);
    expect(kpis).toMatch(/Conversions 4 new/);
    expect(kpis).toContain("Gross commission 50.00 USD");
    expect(kpis).toContain("Network fee 10.00 USD");
    expect(kpis).toContain("Publisher payouts 36.00 USD");
    expect(region(html, "top-publishers")).toMatch(/Alpha Blog 4 2 50\.00% 20\.00 USD Beta Reviews 1 1 100\.00% 25\.00 USD/);
    expect(html).toContain('role="img"');
  });

  // Spend is payouts + fee: (8+2) + (8+2) + (20+5) + (0+1) for the unattributed sale (fee only, SPEC §4) = 46.
  test("brand: its spend (payouts + fee) and sales; never the network fee or the payout split", async () => {
    const html = await text("/dashboard/brand", cookies.brand);
    const kpis = region(html, "kpis");
    expect(kpis).toContain("Sales 500.00 USD");
    expect(kpis).toContain("Spend (payouts + fee) 46.00 USD");
    expect(html).not.toContain("Network fee");
    expect(html).not.toContain("Publisher payouts");
  });

  test("publisher: only its own clicks, conversions, EPC and earnings; its balance against the payout threshold", async () => {
    const a = await text("/dashboard/publisher", cookies.pubA);
    const kpis = region(a, "kpis");
    expect(kpis).toMatch(/Clicks 4 new/); // the test-mode sale's click is still a click of A's link
    expect(kpis).toMatch(/Conversions 2 new/);
    expect(kpis).toContain("Earnings 16.00 USD");
    expect(kpis).toContain("EPC 4.00 USD");
    expect(kpis).toContain("Conversion rate 50.00%");
    expect(region(a, "balance")).toContain("Pending 16.00 USD Approved 0.00 USD Paid 0.00 USD");
    expect(region(a, "balance")).toContain("50.00 USD more approved earnings until the 50.00 USD payout threshold");
    expect(a).not.toContain("Network fee");
    expect(a).not.toContain("Gross commission");
    expect(a).not.toContain("Beta Reviews");
    for (const id of ["kpis", "balance", "top-programs"]) for (const other of ["20.00 USD", "10.00 USD", "36.00 USD", "50.00 USD new"]) expect(region(a, id)).not.toContain(other);
    const b = await text("/dashboard/publisher", cookies.pubB);
    expect(region(b, "kpis")).toContain("Earnings 20.00 USD");
    expect(b).not.toContain("16.00 USD");
  });

  test("an approval moves the publisher's balance; a reversal takes the sale out of every figure", async () => {
    await api(t, "POST", `/api/admin/conversions/${ids.a1}/approve`, {});
    await api(t, "POST", `/api/admin/conversions/${ids.a2}/reverse`, { reason: "refund" });
    const a = await text("/dashboard/publisher", cookies.pubA);
    expect(region(a, "balance")).toContain("Pending 0.00 USD Approved 8.00 USD Paid 0.00 USD");
    expect(region(a, "kpis")).toMatch(/Conversions 1 new/);
  });

  test("the htmx fragment of a page carries the same live region ids as the full page", async () => {
    for (const [path, cookie] of [["/admin", cookies.admin], ["/dashboard/brand", cookies.brand], ["/dashboard/publisher", cookies.pubA]] as const) {
      const full = await text(path, cookie);
      const frag = await (await get(path, cookie, { "hx-request": "true" })).text();
      const ids = (h: string) => [...h.matchAll(/id="([^"]+)" data-live="conversions"/g)].map((m) => m[1]).sort();
      expect(ids(full).length).toBeGreaterThan(1);
      expect(ids(frag)).toEqual(ids(full));
      expect(frag).not.toContain("<html");
      expect(full).toContain('src="/public/live.js"');
      expect(full).toContain('id="live-status"');
    }
  });

  test("rejections: no session -> sign in; another role's overview -> 403", async () => {
    for (const path of ["/admin", "/dashboard/brand", "/dashboard/publisher", "/dashboard/publisher/stats", "/dashboard/publisher/stats.csv"]) {
      const res = await t.request(path);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    expect((await get("/admin", cookies.pubA)).status).toBe(403);
    expect((await get("/admin", cookies.brand)).status).toBe(403);
    expect((await get("/dashboard/brand", cookies.pubA)).status).toBe(403);
    expect((await get("/dashboard/publisher", cookies.brand)).status).toBe(403);
    expect((await get("/dashboard/publisher/stats", cookies.admin)).status).toBe(403);
    expect((await get("/dashboard/publisher/stats.csv", cookies.brand)).status).toBe(403);
  });
});

describe("publisher stats", () => {
  test("by sub-id: its own sub-ids only, with clicks, conversions and earnings", async () => {
    const html = await text("/dashboard/publisher/stats?by=sub1", cookies.pubA);
    const table = region(html, "stats-table");
    expect(table).toMatch(/newsletter 2 1 50\.00% 4\.00 USD 8\.00 USD/);
    expect(table).toMatch(/\(none\) 2 0 0\.00% — —/); // A-2's click (sale reversed) and the test sale's click
    expect(html).toContain('<option value="sub1" selected>');
    const b = await text("/dashboard/publisher/stats?by=sub1", cookies.pubB);
    expect(b).not.toContain("newsletter");
  });

  test("by country credits DB-IP; by program names the program", async () => {
    const byCountry = await text("/dashboard/publisher/stats?by=country", cookies.pubA);
    expect(byCountry).toContain("IP geolocation by DB-IP");
    expect(region(byCountry, "stats-table")).toContain("Unknown");
    expect(region(await text("/dashboard/publisher/stats?by=program", cookies.pubA), "stats-table")).toContain("Tents");
  });

  test("date range: outside the range shows the empty state; a bad date is named next to its field", async () => {
    const empty = await text("/dashboard/publisher/stats?from=2026-10-01&to=2026-10-31", cookies.pubA);
    expect(empty).toContain("Nothing in this date range");
    const bad = await get("/dashboard/publisher/stats?from=2026-13-01&to=2026-11-02", cookies.pubA);
    expect(bad.status).toBe(422);
    const body = await bad.text();
    expect(body).toMatch(/id="f-from-err">Enter a date as YYYY-MM-DD/);
    const reversed = await get("/dashboard/publisher/stats?from=2026-11-05&to=2026-11-01", cookies.pubA);
    expect(await reversed.text()).toContain("The end date must not be before the start date");
  });

  test("CSV export: one line per group and currency, formula-looking sub-ids neutralised", async () => {
    await click(t, `${n.pathA}?sub2=${encodeURIComponent("=HYPERLINK(\"x\")")}`);
    await t.ctx.clicks.flush();
    const res = await get("/dashboard/publisher/stats.csv?by=sub2", cookies.pubA);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const csv = await res.text();
    expect(csv.split("\r\n")[0]).toBe("sub2,name,clicks,conversions,conversion_rate_pct,currency,earnings,epc");
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).not.toContain("Beta");
  });

  test("sorting by a column orders the rows both ways", async () => {
    const desc = region(await text("/dashboard/publisher/stats?by=sub1&sort=conversions&dir=desc", cookies.pubA), "stats-table");
    expect(desc.indexOf("newsletter")).toBeLessThan(desc.indexOf("(none)"));
    const ascHtml = await text("/dashboard/publisher/stats?by=sub1&sort=conversions&dir=asc", cookies.pubA);
    const asc = region(ascHtml, "stats-table");
    expect(asc.indexOf("newsletter")).toBeGreaterThan(asc.indexOf("(none)"));
    expect(ascHtml).toContain('aria-sort="ascending"');
  });
});

describe("GET /live", () => {
  const decoder = new TextDecoder();
  async function openLive(cookie: string, headers: Record<string, string> = {}) {
    const res = await get("/live", cookie, headers);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    let buf = "";
    // One read in flight at a time: a read that outlives a wait is kept for the next wait, not lost.
    let pending: ReturnType<typeof reader.read> | null = null;
    return {
      /** Everything received within `ms`. */
      async read(ms: number) {
        const until = Date.now() + ms;
        while (Date.now() < until) {
          pending ??= reader.read();
          const r = await Promise.race([pending, Bun.sleep(Math.max(0, until - Date.now())).then(() => null)]);
          if (!r) break;
          pending = null;
          if (r.done) break;
          buf += decoder.decode(r.value);
        }
        return buf;
      },
      close: () => reader.cancel(),
    };
  }

  test("refuses a request without a session (401) and a pending account (403)", async () => {
    const res = await t.request("/live");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).not.toContain("event-stream");
    expect((await t.request("/live", { headers: { cookie: "lc_session=not-a-real-session-token-at-all" } })).status).toBe(401);
    const { id } = await makeUser(t, "waiting@pub.example", "publisher", { publisher_id: n.pubB.id });
    const { cookie } = await login(t, "waiting@pub.example");
    await t.ctx.db.update(users).set({ status: "pending" }).where(eq(users.id, id));
    const pending = await get("/live", cookie);
    expect(pending.status).toBe(403);
    expect(pending.headers.get("content-type")).not.toContain("event-stream");
  });

  test("the change feed's seq becomes the SSE id; Last-Event-ID replays what a page missed", async () => {
    const a = await openLive(cookies.pubA);
    expect(await a.read(20)).toContain("retry: 2000");
    const id = await sale(n.pathA, "A-SEQ");
    const first = await a.read(100);
    const seq = Number(/id: (\d+)\ndata: \{"type":"conversion.created","conversion_id":"[^"]+"\}/.exec(first)?.[1]);
    expect(first).toContain(`"conversion_id":"${id}"`);
    expect(seq).toBeGreaterThan(0);
    await a.close();
    const req = (v: string) => new Request("https://track.test/live", { headers: { "last-event-id": v } });
    expect(lastEventId(req("42"))).toBe(42);
    for (const bad of ["", "-1", "4e2", "1".repeat(16), "42, 43"]) expect(lastEventId(req(bad))).toBeUndefined();
    // While the page was away a second sale happened: reconnecting with Last-Event-ID replays it, and only it.
    const missed = await sale(n.pathA, "A-MISSED");
    const again = await openLive(cookies.pubA, { "last-event-id": String(seq) });
    const replay = await again.read(200);
    expect(replay).toContain(`"conversion_id":"${missed}"`);
    expect(replay).not.toContain(`"conversion_id":"${id}"`);
    await again.close();
  });

  test("a client that goes away is cleaned up (request abort)", async () => {
    const before = liveConnections();
    const ac = new AbortController();
    const res = await t.request("/live", { headers: { cookie: cookies.admin }, signal: ac.signal });
    expect(res.status).toBe(200);
    expect(liveConnections()).toBe(before + 1);
    ac.abort();
    await Bun.sleep(10);
    expect(liveConnections()).toBe(before);
  });

  test("a session ended elsewhere stops its live stream at the next recheck; other pages stay open", async () => {
    await makeUser(t, "leaving@pub.example", "publisher", { publisher_id: n.pubA.id });
    const { cookie } = await login(t, "leaving@pub.example");
    const before = liveConnections();
    const leaving = await get("/live", cookie);
    const staying = await openLive(cookies.pubA);
    expect(liveConnections()).toBe(before + 2);
    await endSession(t.ctx, cookie.slice("lc_session=".length)); // signed out on another device, or revoked
    recheckLiveSessions(Date.now()); // not due yet: nothing is read
    await Bun.sleep(20);
    expect(liveConnections()).toBe(before + 2);
    recheckLiveSessions(Date.now() + 61_000);
    const reader = leaving.body!.getReader();
    let text = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += decoder.decode(r.value);
    expect(text).toContain("retry: 2000");
    expect(liveConnections()).toBe(before + 1);
    const id = await sale(n.pathA, "A-AFTER-LEAVE");
    expect(await staying.read(150)).toContain(`"conversion_id":"${id}"`);
    await staying.close();
    expect(liveConnections()).toBe(before);
  });

  test("each connection hears only what its session may see", async () => {
    const before = liveConnections();
    const [admin, brand, a, b] = await Promise.all([openLive(cookies.admin), openLive(cookies.brand), openLive(cookies.pubA), openLive(cookies.pubB)]);
    expect(liveConnections()).toBe(before + 4);
    expect(await a.read(20)).toContain("retry: 2000");
    const id = await sale(n.pathA, "A-LIVE");
    const frame = new RegExp(`event: conversion\nid: \\d+\ndata: \\{"type":"conversion.created","conversion_id":"${id}"\\}\n\n`);
    expect(await a.read(100)).toMatch(frame);
    expect(await admin.read(50)).toMatch(frame);
    expect(await brand.read(50)).toMatch(frame);
    expect(await b.read(100)).not.toContain(id);
    // An approval reaches the credited publisher too, and still not the other one.
    await api(t, "POST", `/api/admin/conversions/${id}/approve`, {});
    expect(await a.read(100)).toContain(`"type":"conversion.approved","conversion_id":"${id}"`);
    expect(await b.read(50)).not.toContain(id);
    for (const s of [admin, brand, a, b]) await s.close();
    expect(liveConnections()).toBe(before);
  });

  test("a test-mode sale reaches the brand and the admin, never the publisher", async () => {
    const [brand, a] = await Promise.all([openLive(cookies.brand), openLive(cookies.pubA)]);
    const clickId = (await click(t, n.pathA)).clickId;
    await postback(t, n.brand.testKey, { program_id: n.program.id, brand_order_ref: "A-TEST-2", order_value: "10", order_currency: "USD", lc_click: clickId });
    expect(await brand.read(100)).toContain("conversion.created");
    expect(await a.read(100)).not.toContain("conversion.created");
    await brand.close();
    await a.close();
  });
});
