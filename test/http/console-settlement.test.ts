import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTestApp, type TestApp } from "../helpers/app";
import { csrfOf, FORM, form, login, makeUser } from "../helpers/console";
import { api } from "../helpers/factories";
import { NOV_1, OCT_10, octoberNetwork } from "../helpers/settlement";

// The settlement console pages through the real app and real sessions: the close form
// (future period, CSRF, rerun), payouts (filters, CSV, bulk mark paid, results upload,
// statement), invoices (void with a replacement), reconciliation (multipart upload with
// CSRF, hand mapping, import), and scope: a brand sees only its invoices, a publisher
// only its payouts and statements; another party's id is a 404.
let t: TestApp;
let net: Awaited<ReturnType<typeof octoberNetwork>>;
const s: Record<string, { cookie: string; csrf: string }> = {};

async function session(name: string, email: string, role: "admin" | "brand" | "publisher", party: { brand_id?: string; publisher_id?: string } = {}) {
  await makeUser(t, email, role, party);
  const { cookie } = await login(t, email);
  s[name] = { cookie, csrf: await csrfOf(t, cookie) };
}
const get = (who: string | null, path: string) => t.request(path, { headers: who ? { cookie: s[who]!.cookie } : {} });
const post = (who: string, path: string, fields: Record<string, string>, csrf = true) =>
  t.request(path, { method: "POST", headers: { ...FORM, cookie: s[who]!.cookie }, body: form(csrf ? { _csrf: s[who]!.csrf, ...fields } : fields) });
function upload(who: string, path: string, fields: Record<string, string>, file: string | null, csrf = true) {
  const body = new FormData();
  if (csrf) body.set("_csrf", s[who]!.csrf);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (file !== null) body.set("file", new Blob([file], { type: "text/csv" }), "report.csv");
  return t.request(path, { method: "POST", headers: { cookie: s[who]!.cookie }, body });
}
const closes = async () => (await api(t, "GET", "/api/admin/settlements")).data as { period: string; audit_hash: string }[];
const payouts = async (q = "") => (await api(t, "GET", `/api/admin/payouts${q}`)).data as { id: string; publisher_id: string; status: string; reference: string | null }[];
const invoices = async () => (await api(t, "GET", "/api/admin/invoices")).data as { id: string; number: string; brand_id: string; status: string }[];

beforeAll(async () => {
  t = await makeTestApp({}, { now: OCT_10 });
  net = await octoberNetwork(t);
  await session("admin", "ops@network.example", "admin");
  await session("acme", "billing@acme.example", "brand", { brand_id: net.acme.id });
  await session("other", "billing@other.example", "brand", { brand_id: net.other.id });
  await session("alpha", "alpha-user@pub.example", "publisher", { publisher_id: net.alpha.id });
  await session("beta", "beta-user@pub.example", "publisher", { publisher_id: net.beta.id });
  t.clock.set(NOV_1);
}, 60_000);
afterAll(() => t.close());

describe("access", () => {
  const pages = ["/admin/settlement", "/admin/payouts", "/admin/invoices", "/admin/reconciliation", "/dashboard/brand/invoices", "/dashboard/publisher/payouts"];
  test.each(pages)("%s without a session redirects to /login", async (path) => {
    const res = await get(null, path);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
  });
  test("the wrong role gets 403", async () => {
    for (const [who, path] of [["alpha", "/admin/payouts"], ["acme", "/admin/settlement"], ["acme", "/dashboard/publisher/payouts"], ["alpha", "/dashboard/brand/invoices"], ["admin", "/dashboard/brand/invoices"]] as const) {
      expect((await get(who, path)).status).toBe(403);
    }
  });
  test("the nav links each role to its pages", async () => {
    expect(await (await get("admin", "/admin")).text()).toContain('href="/admin/payouts"');
    expect(await (await get("acme", "/dashboard/brand")).text()).toContain('href="/dashboard/brand/invoices"');
    expect(await (await get("alpha", "/dashboard/publisher")).text()).toContain('href="/dashboard/publisher/payouts"');
  });
});

describe("closing a period", () => {
  test("a future period is a field error and closes nothing", async () => {
    const res = await post("admin", "/admin/settlement", { period: "2026-11" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<p class="error" id="f-period-err">2026-11 has not ended yet/);
    expect(html).toContain('aria-invalid="true"');
    const bad = await post("admin", "/admin/settlement", { period: "2026-13" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("must be a month like 2026-11");
    expect(await closes()).toEqual([]);
  });
  test("without the CSRF token: 403 and nothing closed", async () => {
    expect((await post("admin", "/admin/settlement", { period: "2026-10" }, false)).status).toBe(403);
    expect(await closes()).toEqual([]);
  });
  test("closing shows the summary; closing again shows 'already closed' with the same summary", async () => {
    const first = await post("admin", "/admin/settlement", { period: "2026-10" });
    expect(first.status).toBe(201);
    const a = await first.text();
    expect(a).toContain("Closed 2026-10");
    const [close] = await closes();
    expect(a).toContain(close!.audit_hash);
    expect(a).toMatch(/Conversions settled<\/dt><dd>4</);
    const again = await post("admin", "/admin/settlement", { period: "2026-10" });
    expect(again.status).toBe(200);
    const b = await again.text();
    expect(b).toContain("2026-10 was already closed");
    expect(b).toContain(close!.audit_hash);
    const summary = (html: string) => html.slice(html.indexOf('<dl class="facts-row">'), html.indexOf("</section>", html.indexOf('<dl class="facts-row">')));
    expect(summary(b)).toBe(summary(a));
    expect(await closes()).toHaveLength(1);
    const list = await (await get("admin", "/admin/settlement")).text();
    expect(list).toContain('id="close-row-2026-10"');
    const csv = await get("admin", "/admin/settlement?format=csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(await csv.text()).toContain(close!.audit_hash);
  });
});

describe("payouts", () => {
  test("listed with names escaped, filtered, sorted and as CSV", async () => {
    const html = await (await get("admin", "/admin/payouts?period=2026-10")).text();
    expect(html).toContain("Ålpha Blog &lt;b&gt;");
    expect(html).not.toContain("Ålpha Blog <b>");
    expect(html).toContain(">on hold<");
    const held = await (await get("admin", "/admin/payouts?status=on_hold")).text();
    expect(held).toContain(">No Method Media</a>");
    expect(held).not.toContain(">Beta Reviews</a>");
    const sorted = await (await get("admin", "/admin/payouts?sort=publisher&dir=desc")).text();
    expect(sorted.indexOf(">No Method Media</a>")).toBeLessThan(sorted.indexOf(">Beta Reviews</a>"));
    const csv = await (await get("admin", "/admin/payouts?period=2026-10&format=csv")).text();
    expect(csv.split("\r\n")[0]).toBe("payout_id,period,publisher_id,publisher,currency,amount,conversions,status,method,due,reference,failure_reason,paid_at");
    expect(csv).toContain("2026-11-15");
    const file = await get("admin", "/admin/payouts/export?period=2026-10&method=paypal&currency=USD");
    expect(file.status).toBe(200);
    expect(await file.text()).toContain("alpha@pub.example,160.00,USD");
  });
  test("bulk mark paid: refused without CSRF, then marks the selected payouts with the reference", async () => {
    const alpha = (await payouts(`?publisher_id=${net.alpha.id}`))[0]!;
    expect((await post("admin", "/admin/payouts/bulk", { id: alpha.id, action: "paid", reference: "BATCH-1" }, false)).status).toBe(403);
    expect((await payouts(`?publisher_id=${net.alpha.id}`))[0]!.status).toBe("scheduled");
    const noRef = await post("admin", "/admin/payouts/bulk", { id: alpha.id, action: "paid", reference: "" });
    expect(noRef.status).toBe(422);
    expect(await noRef.text()).toContain("Enter the payment reference");
    const res = await post("admin", "/admin/payouts/bulk", { id: alpha.id, action: "paid", reference: "BATCH-1" });
    expect(res.status).toBe(303);
    expect((await payouts(`?publisher_id=${net.alpha.id}`))[0]).toMatchObject({ status: "paid", reference: "BATCH-1" });
  });
  test("a results file: refused without CSRF; applied once", async () => {
    const beta = (await payouts(`?publisher_id=${net.beta.id}`))[0]!;
    const csv = `payout_id,status,reference,reason\n${beta.id},failed,,Account closed\n`;
    expect((await upload("admin", "/admin/payouts/results", {}, csv, false)).status).toBe(403);
    expect((await payouts(`?publisher_id=${net.beta.id}`))[0]!.status).toBe("scheduled");
    const first = await (await upload("admin", "/admin/payouts/results", {}, csv)).text();
    expect(first).toContain("0 paid, 1 failed, 0 unchanged, 0 with errors");
    const again = await (await upload("admin", "/admin/payouts/results", {}, csv)).text();
    expect(again).toContain("0 paid, 0 failed, 1 unchanged");
    const bad = await upload("admin", "/admin/payouts/results", {}, "nope,\"x\n");
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Not a readable CSV");
  });
  test("a payout's detail shows its lines and statement link", async () => {
    const alpha = (await payouts(`?publisher_id=${net.alpha.id}`))[0]!;
    const html = await (await get("admin", `/admin/payouts/${alpha.id}`)).text();
    expect(html).toContain("Tents");
    expect(html).toContain(`/admin/payouts/${alpha.id}/statement.pdf`);
    const pdf = await get("admin", `/admin/payouts/${alpha.id}/statement.pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
  });
});

describe("invoices", () => {
  test("void needs CSRF and a reason; it shows the replacement number", async () => {
    const inv = (await invoices()).find((i) => i.brand_id === net.acme.id)!;
    expect((await post("admin", `/admin/invoices/${inv.id}/void`, { reason: "Wrong billing address" }, false)).status).toBe(403);
    const empty = await post("admin", `/admin/invoices/${inv.id}/void`, { reason: "" });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('id="f-reason-err"');
    expect((await invoices()).find((i) => i.id === inv.id)!.status).toBe("issued");
    const res = await post("admin", `/admin/invoices/${inv.id}/void`, { reason: "Wrong billing address" });
    expect(res.status).toBe(303);
    const replacement = (await invoices()).find((i) => i.brand_id === net.acme.id && i.status === "issued")!;
    expect(res.headers.get("location")).toBe(`/admin/invoices/${replacement.id}`);
    const page = await (await t.request(res.headers.get("location")!, { headers: { cookie: `${s.admin!.cookie}; ${/lc_flash=[^;]+/.exec(res.headers.get("set-cookie")!)![0]}` } })).text();
    expect(page).toContain(`${inv.number} is void; it is replaced by ${replacement.number}`);
    const old = await (await get("admin", `/admin/invoices/${inv.id}`)).text();
    expect(old).toContain(`replaced by <a href="/admin/invoices/${replacement.id}">${replacement.number}</a>`);
    const paid = await post("admin", `/admin/invoices/${replacement.id}/mark-paid`, { reference: "WIRE-77" }, false);
    expect(paid.status).toBe(403);
    expect((await post("admin", `/admin/invoices/${replacement.id}/mark-paid`, { reference: "WIRE-77" })).status).toBe(303);
    expect((await invoices()).find((i) => i.id === replacement.id)!.status).toBe("paid");
  });
  test("filters by brand and status", async () => {
    const html = await (await get("admin", `/admin/invoices?brand_id=${net.other.id}`)).text();
    expect(html).toContain("Other Shop");
    expect(html).not.toContain("<td>Acme Outdoor</td>");
    const voids = await (await get("admin", "/admin/invoices?status=void&format=csv")).text();
    expect(voids.trim().split("\r\n")).toHaveLength(2);
  });
});

describe("brand invoices (scope in the domain)", () => {
  test("a brand lists only its own invoices and downloads their PDFs", async () => {
    const mine = (await invoices()).filter((i) => i.brand_id === net.acme.id);
    const theirs = (await invoices()).find((i) => i.brand_id === net.other.id)!;
    const html = await (await get("acme", "/dashboard/brand/invoices")).text();
    for (const i of mine) expect(html).toContain(i.number);
    expect(html).not.toContain(theirs.number);
    const pdf = await get("acme", `/dashboard/brand/invoices/${mine[0]!.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
  });
  test("another brand's invoice PDF is a 404", async () => {
    const theirs = (await invoices()).find((i) => i.brand_id === net.other.id)!;
    expect((await get("acme", `/dashboard/brand/invoices/${theirs.id}/pdf`)).status).toBe(404);
    expect((await get("other", `/dashboard/brand/invoices/${theirs.id}/pdf`)).status).toBe(200);
    expect((await get("acme", `/admin/invoices/${theirs.id}/pdf`)).status).toBe(403);
  });
});

describe("publisher payouts (scope in the domain)", () => {
  test("a publisher sees its payouts, balance, threshold progress and statements", async () => {
    const html = await (await get("alpha", "/dashboard/publisher/payouts")).text();
    expect(html).toContain('id="publisher-balance" data-live="conversions"');
    expect(html).toContain("Payouts go to your <strong>PayPal</strong> account");
    expect(html).toContain("160.00");
    expect(html).toContain('role="progressbar"');
    expect(html).not.toContain("Beta");
    const mine = (await payouts(`?publisher_id=${net.alpha.id}`))[0]!;
    const pdf = await get("alpha", `/dashboard/publisher/payouts/${mine.id}/statement.pdf`);
    expect(pdf.status).toBe(200);
    // The statement carries the paid date and the close's full audit hash in its body.
    const file = join(t.dir, "statement.pdf");
    writeFileSync(file, new Uint8Array(await pdf.arrayBuffer()));
    const text = Bun.spawnSync(["pdftotext", "-layout", file, "-"]).stdout.toString();
    expect(text).toMatch(/Paid\s+1 November 2026/);
    expect(text).toContain((await closes())[0]!.audit_hash);
    expect((await get("alpha", `/dashboard/publisher/payouts/${mine.id}`)).status).toBe(200);
  });
  test("another publisher's statement and payout are 404", async () => {
    const theirs = (await payouts(`?publisher_id=${net.beta.id}`))[0]!;
    expect((await get("alpha", `/dashboard/publisher/payouts/${theirs.id}/statement.pdf`)).status).toBe(404);
    expect((await get("alpha", `/dashboard/publisher/payouts/${theirs.id}`)).status).toBe(404);
    expect((await get("beta", `/dashboard/publisher/payouts/${theirs.id}/statement.pdf`)).status).toBe(200);
  });
  test("without a payout method: on hold, with a link to the settings page", async () => {
    await session("nomethod", "none-user@pub.example", "publisher", { publisher_id: net.nomethod.id });
    const html = await (await get("nomethod", "/dashboard/publisher/payouts")).text();
    expect(html).toContain("Payouts are on hold.");
    expect(html).toContain('href="/dashboard/publisher/settings"');
  });
});

describe("reconciliation", () => {
  const REPORT = "order_id,amount,commission,currency,status\nA-1001,250.00,100.00,USD,approved\nX-9,40.00,4.00,USD,approved\n\"=cmd|' /C calc'!A0\",10,1,USD,approved\n";
  test("an upload without the CSRF token is refused and runs nothing", async () => {
    const res = await upload("admin", "/admin/reconciliation", { integration_id: net.integrationId, period: "2026-10" }, REPORT, false);
    expect(res.status).toBe(403);
    expect(await (await get("admin", "/admin/reconciliation")).text()).toContain("No reconciliation reports yet");
  });
  test("upload -> row-level diff with totals, verdict filter, escaped CSV, import of missing rows once", async () => {
    const missingFile = await upload("admin", "/admin/reconciliation", { integration_id: net.integrationId, period: "2026-10" }, null);
    expect(missingFile.status).toBe(422);
    expect(await missingFile.text()).toContain("attach the platform&#39;s report (CSV)");
    const res = await upload("admin", "/admin/reconciliation", { integration_id: net.integrationId, period: "2026-10" }, REPORT);
    expect(res.status).toBe(303);
    const path = res.headers.get("location")!;
    const html = await (await get("admin", path)).text();
    expect(html).toContain("Missing here <strong>2</strong>");
    expect(html).toContain("Missing there <strong>2</strong>");
    expect(html).toContain("&#39; /C calc&#39;!A0");
    const filtered = await (await get("admin", `${path}?verdict=matched`)).text();
    expect(filtered).toContain("A-1001");
    expect(filtered).not.toContain("X-9");
    const csv = await (await get("admin", `${path}?format=csv`)).text();
    expect(csv).toContain("'=cmd");
    expect((await post("admin", `${path}/import`, {}, false)).status).toBe(403);
    const imp = await post("admin", `${path}/import`, {});
    expect(imp.status).toBe(303);
    expect(decodeURIComponent(imp.headers.get("set-cookie") ?? "")).toContain("lc_flash=");
    const convs = (await api(t, "GET", `/api/admin/conversions?program_id=${net.tents.id}&limit=100`)).data as { brand_order_ref: string }[];
    expect(convs.filter((c) => c.brand_order_ref === "X-9")).toHaveLength(1);
    await post("admin", `${path}/import`, {});
    const again = (await api(t, "GET", `/api/admin/conversions?program_id=${net.tents.id}&limit=100`)).data as { brand_order_ref: string }[];
    expect(again.filter((c) => c.brand_order_ref === "X-9")).toHaveLength(1);
  });
  test("unknown headers: a form maps the file's headers by hand, remembered for the integration", async () => {
    const odd = "Ref No,Gross,State\nA-1002,250.00,approved\n";
    const res = await upload("admin", "/admin/reconciliation", { integration_id: net.integrationId, period: "2026-10" }, odd);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Map the report");
    expect(html).toContain('<option value="Ref No">Ref No</option>');
    const b64 = /name="file_b64" value="([^"]+)"/.exec(html)![1]!;
    const mapped = await upload("admin", "/admin/reconciliation", { integration_id: net.integrationId, period: "2026-10", file_b64: b64, file_name: "odd.csv", map_order_id: "Ref No", map_amount: "Gross", map_status: "State" }, null);
    expect(mapped.status).toBe(303);
    expect(await (await get("admin", mapped.headers.get("location")!)).text()).toContain("Matched <strong>1</strong>");
    // Remembered: the same headers need no mapping the next time.
    const next = await upload("admin", "/admin/reconciliation", { integration_id: net.integrationId, period: "2026-10" }, odd);
    expect(next.status).toBe(303);
  });
});
