import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditLog, conversions } from "../../src/db/schema";
import { DAY_MS } from "../../src/shared/clock";
import { makeTestApp, type TestApp } from "../helpers/app";
import { csrfOf, FORM, login, makeUser } from "../helpers/console";
import { approve, click, makeBrand, makeProgram, network, postback } from "../helpers/factories";

// The conversion pages through the real app and real sessions: scope, bulk review, CSV, XSS.
let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
const XSS = "<script>alert(1)</script>";
const FORMULA = "=HYPERLINK(\"http://evil.example\",\"x\")";
const ids: Record<string, string> = {};
const cookies: Record<string, string> = {};

async function sale(key: string, programId: string, path: string | null, ref: string, value = "100") {
  const clickId = path ? (await click(t, path)).clickId : null;
  const res = await postback(t, key, { program_id: programId, brand_order_ref: ref, order_value: value, order_currency: "USD", lc_click: clickId });
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { conversion: { id: string } }).conversion.id;
}
const statusOf = async (id: string) => (await t.ctx.db.select().from(conversions).where(eq(conversions.id, id)))[0]!.status;
const get = (path: string, who: string) => t.request(path, { headers: { cookie: cookies[who]! } });
async function post(path: string, who: string, body: Record<string, string | string[]>, csrf = true) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const one of [v].flat()) p.append(k, one);
  if (csrf) p.set("_csrf", await csrfOf(t, cookies[who]!));
  return t.request(path, { method: "POST", headers: { ...FORM, cookie: cookies[who]! }, body: p.toString() });
}

beforeAll(async () => {
  t = await makeTestApp();
  n = await network(t);
  const rival = await makeBrand(t, "Rival");
  const rivalProgram = await makeProgram(t, rival.id, { name: "Rival Tents" });
  const rivalLink = await approve(t, rivalProgram.id, n.pubA.id);
  ids.a1 = await sale(n.brand.liveKey, n.program.id, n.pathA, "A-1");
  ids.a2 = await sale(n.brand.liveKey, n.program.id, n.pathA, "A-2");
  ids.xss = await sale(n.brand.liveKey, n.program.id, n.pathA, XSS);
  ids.formula = await sale(n.brand.liveKey, n.program.id, n.pathA, FORMULA);
  ids.b1 = await sale(n.brand.liveKey, n.program.id, n.pathB, "B-1", "250");
  ids.test = await sale(n.brand.testKey, n.program.id, n.pathA, "A-TEST");
  ids.rival = await sale(rival.liveKey, rivalProgram.id, `/go/${rivalLink.slug}`, "RIVAL-1");
  await makeUser(t, "admin@net.example", "admin");
  await makeUser(t, "buyer@acme.example", "brand", { brand_id: n.brand.id });
  await makeUser(t, "buyer@rival.example", "brand", { brand_id: rival.id });
  await makeUser(t, "alpha@pub.example", "publisher", { publisher_id: n.pubA.id });
  await makeUser(t, "beta@pub.example", "publisher", { publisher_id: n.pubB.id });
  for (const [who, email] of [["admin", "admin@net.example"], ["brand", "buyer@acme.example"], ["rival", "buyer@rival.example"], ["pubA", "alpha@pub.example"], ["pubB", "beta@pub.example"]]) {
    cookies[who!] = (await login(t, email!)).cookie;
  }
}, 60_000);
afterAll(() => t.close());

const PAGES: [string, string][] = [
  ["/admin/conversions", "admin"], ["/admin/conversions.csv", "admin"], ["/admin/audit", "admin"], ["/admin/audit.csv", "admin"],
  ["/dashboard/brand/conversions", "brand"], ["/dashboard/brand/conversions.csv", "brand"],
  ["/dashboard/publisher/earnings", "pubA"], ["/dashboard/publisher/earnings.csv", "pubA"],
];

describe("access", () => {
  test.each(PAGES)("%s without a session -> /login", async (path) => {
    const res = await t.request(path);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
  });
  test.each(PAGES)("%s for its role -> 200", async (path, who) => {
    expect((await get(path, who)).status).toBe(200);
  });
  test.each([
    ["/admin/conversions", "brand"], ["/admin/conversions", "pubA"], ["/admin/audit", "brand"], ["/admin/conversions.csv", "pubA"],
    ["/dashboard/brand/conversions", "pubA"], ["/dashboard/brand/conversions", "admin"], ["/dashboard/publisher/earnings", "brand"],
    ["/dashboard/publisher/earnings.csv", "brand"],
  ])("%s for %s -> 403", async (path, who) => {
    expect((await get(path, who)).status).toBe(403);
  });
  test("a conversion's detail is the admin's: a brand or publisher opening one (even its own) -> 403", async () => {
    expect((await get(`/admin/conversions/${ids.a1}`, "brand")).status).toBe(403);
    expect((await get(`/admin/conversions/${ids.a1}`, "pubA")).status).toBe(403);
  });
  test("a publisher posting a reverse for any id (even its own conversion) -> 403, nothing changed", async () => {
    const res = await post(`/dashboard/brand/conversions/${ids.a1}/reverse`, "pubA", { reason: "mine" });
    expect(res.status).toBe(403);
    expect(await statusOf(ids.a1!)).toBe("pending");
  });
  test("an unknown conversion id -> 404 page", async () => {
    const res = await get("/admin/conversions/01900000-0000-7000-8000-000000000000", "admin");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Not found");
  });
});

describe("admin review queue", () => {
  test("lists every conversion with the live region, signals column and filters", async () => {
    const html = await (await get("/admin/conversions", "admin")).text();
    expect(html).toMatch(/id="admin-conversions"[^>]*data-live="conversions"/);
    for (const ref of ["A-1", "B-1", "RIVAL-1", "A-TEST"]) expect(html).toContain(ref);
    expect(html).toContain('<span class="badge badge-test"');
  });
  test("filters narrow: publisher, status, search by order ref and by click id, test only", async () => {
    let html = await (await get(`/admin/conversions?publisher_id=${n.pubB.id}`, "admin")).text();
    expect(html).toContain("B-1");
    expect(html).not.toContain("A-1");
    html = await (await get("/admin/conversions?q=RIVAL", "admin")).text();
    expect(html).toContain("RIVAL-1");
    expect(html).not.toContain("B-1");
    const [b1] = await t.ctx.db.select().from(conversions).where(eq(conversions.id, ids.b1!));
    html = await (await get(`/admin/conversions?q=${b1!.clickId}`, "admin")).text();
    expect(html).toContain("B-1");
    expect(html).not.toContain("A-2");
    html = await (await get("/admin/conversions?test=test", "admin")).text();
    expect(html).toContain("A-TEST");
    expect(html).not.toContain("A-2");
  });
  test("sort by order value ascending puts the largest sale last", async () => {
    const html = await (await get("/admin/conversions?sort=order_value&dir=asc&test=live", "admin")).text();
    expect(html.indexOf("B-1")).toBeGreaterThan(html.indexOf("A-1"));
    expect(html).toContain('aria-sort="ascending"');
  });
  test("a bad date is an error next to the field", async () => {
    const res = await get("/admin/conversions?from=2026-02-30", "admin");
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('id="f-from-err"');
  });
  test("CSV export of the filtered set, formula cells escaped", async () => {
    const res = await get(`/admin/conversions.csv?publisher_id=${n.pubA.id}`, "admin");
    expect(res.headers.get("content-type")).toContain("text/csv");
    const csv = await res.text();
    expect(csv).toContain("A-1");
    expect(csv).not.toContain("B-1");
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toContain(XSS);
  });
});

describe("bulk approve / reverse", () => {
  test("mixed outcomes: approved, already approved, refused because reversed; each audited once", async () => {
    const r = await post("/admin/conversions/bulk", "admin", { id: [ids.a2!], action: "reverse", reason: "refund" });
    expect(r.status).toBe(200);
    expect(await statusOf(ids.a2!)).toBe("reversed");
    await post("/admin/conversions/bulk", "admin", { id: [ids.b1!], action: "approve" });
    const res = await post("/admin/conversions/bulk", "admin", { id: [ids.a1!, ids.b1!, ids.a2!], action: "approve" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("1 changed, 1 already done, 1 refused.");
    expect(html).toContain('<span class="result result-done">Approved</span>');
    expect(html).toContain('<span class="result result-already">Already approved</span>');
    expect(html).toContain("Refused: Cannot approve a reversed conversion");
    expect(await statusOf(ids.a1!)).toBe("approved");
    const audits = await t.ctx.db.select().from(auditLog).where(eq(auditLog.entityId, ids.a1!));
    expect(audits.filter((a) => a.action === "conversion.approved")).toHaveLength(1);
    expect(audits.find((a) => a.action === "conversion.approved")!.actorType).toBe("admin");
  });
  test("reverse without a reason -> field error next to the reason, nothing changed", async () => {
    const before = await statusOf(ids.formula!);
    const res = await post("/admin/conversions/bulk", "admin", { id: [ids.formula!], action: "reverse", reason: "  " });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/id="f-reason-err">say why/);
    expect(html).toContain('aria-invalid="true"');
    expect(await statusOf(ids.formula!)).toBe(before);
  });
  test("nothing selected -> 422 with a message", async () => {
    const res = await post("/admin/conversions/bulk", "admin", { action: "approve" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Select at least one conversion.");
  });
  test("without the CSRF token -> 403 and nothing changed", async () => {
    const res = await post("/admin/conversions/bulk", "admin", { id: [ids.formula!], action: "approve" }, false);
    expect(res.status).toBe(403);
    expect(await statusOf(ids.formula!)).toBe("pending");
  });
  test("a brand user cannot use the admin bulk action (403), nothing changed", async () => {
    const res = await post("/admin/conversions/bulk", "brand", { id: [ids.formula!], action: "approve" });
    expect(res.status).toBe(403);
    expect(await statusOf(ids.formula!)).toBe("pending");
  });
});

describe("conversion detail", () => {
  test("its click, attribution in words, money, inbox request and audit trail", async () => {
    const html = await (await get(`/admin/conversions/${ids.b1}`, "admin")).text();
    expect(html).toContain("Credited to the publisher of the last click");
    expect(html).toContain("Beta Reviews");
    expect(html).toContain("25.00 USD"); // commission 10% of 250
    expect(html).toContain("Mozilla/5.0");
    expect(html).toContain("POST /api/conv");
    expect(html).toContain("[redacted]"); // the brand key in the stored headers
    expect(html).toContain("conversion.approved");
    expect(html).toContain(`id="conversion-${ids.b1}" data-live="conversions"`);
  });
  test("reverse here needs a reason (field error), then reverses with a flash", async () => {
    let res = await post(`/admin/conversions/${ids.formula}/reverse`, "admin", { reason: "" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('id="f-reason-err"');
    expect(await statusOf(ids.formula!)).toBe("pending");
    res = await post(`/admin/conversions/${ids.formula}/reverse`, "admin", { reason: "chargeback" });
    expect(res.status).toBe(303);
    expect(await statusOf(ids.formula!)).toBe("reversed");
    res = await post(`/admin/conversions/${ids.formula}/approve`, "admin", {});
    expect(res.status).toBe(303);
    const flash = res.headers.get("set-cookie")!;
    const page = await (await t.request(`/admin/conversions/${ids.formula}`, { headers: { cookie: `${cookies.admin}; ${flash.split(";")[0]}` } })).text();
    expect(page).toContain("Refused: Cannot approve a reversed conversion");
  });
});

describe("brand conversions", () => {
  test("its programs' conversions only (test ones badged); commission owed, never the fee split", async () => {
    const html = await (await get("/dashboard/brand/conversions", "brand")).text();
    expect(html).toMatch(/id="brand-conversions"[^>]*data-live="conversions"/);
    expect(html).toContain("A-1");
    expect(html).not.toContain("RIVAL-1");
    expect(html).toContain("badge-test");
    const region = html.slice(html.indexOf('id="brand-conversions"'));
    expect(region).not.toMatch(/\bfee\b|payout/i); // whole words: a row id (UUID hex) may contain "fee"
    expect(region).not.toContain("8.00 USD"); // A-1's publisher payout (10.00 commission less the 20% fee)
    expect(region).not.toContain("2.00 USD"); // A-1's network fee
    const csv = await (await get("/dashboard/brand/conversions.csv", "brand")).text();
    expect(csv).toContain("A-1");
    expect(csv).not.toContain("RIVAL-1");
    expect(csv.split("\r\n")[0]).not.toMatch(/fee|payout/);
  });
  test("another brand's conversion id -> 404, nothing changed", async () => {
    const res = await post(`/dashboard/brand/conversions/${ids.rival}/reverse`, "brand", { reason: "not mine" });
    expect(res.status).toBe(404);
    expect(await statusOf(ids.rival!)).toBe("pending");
    const empty = await post(`/dashboard/brand/conversions/${ids.rival}/reverse`, "brand", { reason: "" });
    expect(empty.status).toBe(404);
  });
  test("reverse needs a reason (error at the row), then reverses; without CSRF -> 403", async () => {
    let res = await post(`/dashboard/brand/conversions/${ids.xss}/reverse`, "brand", { reason: "" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(`id="f-reason-${ids.xss}-err"`);
    res = await post(`/dashboard/brand/conversions/${ids.xss}/reverse`, "brand", { reason: "refund" }, false);
    expect(res.status).toBe(403);
    expect(await statusOf(ids.xss!)).toBe("pending");
    res = await post(`/dashboard/brand/conversions/${ids.xss}/reverse`, "brand", { reason: "refund" });
    expect(res.status).toBe(303);
    expect(await statusOf(ids.xss!)).toBe("reversed");
  });
  test("after 30 days: no reverse button, and the domain's refusal is shown", async () => {
    t.clock.advance(31 * DAY_MS);
    try {
      cookies.brand = (await login(t, "buyer@acme.example")).cookie; // sessions slide for 30 days
      const html = await (await get("/dashboard/brand/conversions", "brand")).text();
      expect(html).not.toContain("Reverse…");
      const res = await post(`/dashboard/brand/conversions/${ids.b1}/reverse`, "brand", { reason: "late refund" });
      expect(res.status).toBe(303);
      expect(Buffer.from(/lc_flash=([^;]+)/.exec(res.headers.get("set-cookie")!)![1]!, "base64url").toString()).toContain("reversal window");
      expect(await statusOf(ids.b1!)).toBe("approved");
    } finally {
      t.clock.advance(-31 * DAY_MS);
      cookies.brand = (await login(t, "buyer@acme.example")).cookie;
    }
  }, 30_000);
});

describe("publisher earnings", () => {
  test("its credited live conversions only, balances on top, no commission or fee", async () => {
    const html = await (await get("/dashboard/publisher/earnings", "pubA")).text();
    expect(html).toContain('id="publisher-balances" data-live="conversions"');
    expect(html).toMatch(/id="publisher-earnings"[^>]*data-live="conversions"/);
    expect(html).toContain("A-1");
    expect(html).toContain("RIVAL-1");
    expect(html).not.toContain("B-1");
    expect(html).not.toContain("A-TEST");
    expect(html).toContain("refund"); // its reversed conversion's reason
    expect(html).not.toMatch(/network fee|commission/i);
  });
  test("CSV contains only its rows", async () => {
    const csv = await (await get("/dashboard/publisher/earnings.csv", "pubA")).text();
    const lines = csv.trim().split("\r\n");
    expect(lines).toHaveLength(1 + 5); // xss, formula, RIVAL-1
    expect(csv).not.toContain("B-1");
    const other = await (await get("/dashboard/publisher/earnings.csv", "pubB")).text();
    expect(other).toContain("B-1");
    expect(other).not.toContain("A-1");
  });
  test("a filter cannot widen the scope: another publisher's id in the query shows its own rows still", async () => {
    const html = await (await get(`/dashboard/publisher/earnings?publisher_id=${n.pubB.id}`, "pubA")).text();
    expect(html).not.toContain("B-1");
  });
  test("balances: pending, approved by currency", async () => {
    const html = await (await get("/dashboard/publisher/earnings", "pubB")).text();
    expect(html).toContain("20.00 USD"); // B-1 approved: 25.00 commission less the default 20% fee
  });
});

describe("XSS: an order ref with <script> renders as text everywhere", () => {
  test.each([
    ["/admin/conversions", "admin"], ["/dashboard/brand/conversions", "brand"], ["/dashboard/publisher/earnings", "pubA"],
  ])("%s", async (path, who) => {
    const html = await (await get(path, who)).text();
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain(XSS);
  });
  test("the detail page and the audit log", async () => {
    const detail = await (await get(`/admin/conversions/${ids.xss}`, "admin")).text();
    expect(detail).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(detail).not.toContain(XSS);
  });
});

describe("audit log", () => {
  test("filters by action and entity; CSV", async () => {
    let html = await (await get("/admin/audit?action=conversion.reversed", "admin")).text();
    expect(html).toContain(ids.formula!);
    expect(html).not.toContain(">conversion.created<");
    html = await (await get(`/admin/audit?entity_type=conversion&entity_id=${ids.a1}`, "admin")).text();
    expect(html).toContain("conversion.approved");
    expect(html).toContain("conversion.created");
    expect(html).toContain("admin@net.example"); // who approved it, by the user's email
    const csv = await (await get("/admin/audit.csv?actor_type=brand", "admin")).text();
    expect(csv).toContain("conversion.reversed");
    expect(csv).not.toContain("conversion.approved");
  });
  test("a date range in the network timezone", async () => {
    const html = await (await get("/admin/audit?from=2030-01-01", "admin")).text();
    expect(html).toContain("Nothing matches");
  });
});
