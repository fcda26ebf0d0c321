import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { NAV } from "../../src/console/nav";
import { FakeClock } from "../../src/shared/clock";
import { launchBrowser } from "../helpers/browser";
import { makeUser } from "../helpers/console";
import { api } from "../helpers/factories";
import { NOV_1, OCT_10, octoberNetwork } from "../helpers/settlement";
import { market, smartLink } from "../helpers/smartlinks";
import { pageWidth, signIn, startNetwork, unnamed, watchedPage, wideTables, type Network } from "../helpers/tour";

// The details tour: what the nav tour (console-tour.test.ts) does not reach. A network with
// a closed October (conversions, payouts, invoices, an inbox request, a smart link) and a
// brand-new empty one. Every list page of every role fits a 1280 and a 1440 px screen
// without a sideways scroll; every detail, public and error page opens on a desktop and a
// phone with no console error and no page wider than the screen, and is saved as a
// screenshot for a person to look at (test/browser/screenshots/detail-*.png, git-ignored).
// The keyboard walks are in console-keyboard.test.ts.
const SHOTS = resolve(import.meta.dir, "screenshots");

let dirs: string[] = [];
let full: Network;
let empty: Network;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const invites: Record<"valid" | "expired" | "used", string> = { valid: "", expired: "", used: "" };
let smartCode = "";
let integrationId = "";

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dirs = [mkdtempSync(join(tmpdir(), "lastclick-details-")), mkdtempSync(join(tmpdir(), "lastclick-details-empty-"))];
  const clock = new FakeClock(OCT_10);
  full = await startNetwork(dirs[0]!, clock);
  const t = full.t;
  const net = await octoberNetwork(t);
  await api(t, "POST", `/api/admin/publishers/${net.alpha.id}/postbacks`, { url: "https://tracker.alpha.example/pb?click={click_id}&amount={payout}", events: ["conversion.created", "conversion.approved"] });
  integrationId = net.integrationId;
  const shop = await market(t);
  for (const p of [shop.a, shop.b, shop.f]) await api(t, "POST", "/api/admin/approvals", { program_id: p.id, publisher_id: net.alpha.id });
  smartCode = (await smartLink(t, { criteria: { category: "tents" }, publisher_id: net.alpha.id, code: "best-tents" })).code;
  await makeUser(t, "ops@network.example", "admin");
  await makeUser(t, "billing@acme.example", "brand", { brand_id: net.acme.id });
  invites.used = (await makeUser(t, "alpha-user@pub.example", "publisher", { publisher_id: net.alpha.id })).invitePath;
  // Made in October, opened in November: older than its 7 days.
  invites.expired = new URL((await api(t, "POST", "/api/admin/users", { email: "late@pub.example", role: "publisher", publisher_id: net.beta.id })).invite_url).pathname;
  // One webhook the network accepted and one it refused, for the inbox and its detail page.
  const order = (id: string) => JSON.stringify({ vendor_id: "vendor-1", order_id: id, order_total: "129.95", commission_total: "13.00", currency: "USD", submission_id: crypto.randomUUID(), occurred_at: "2026-10-10T12:00:00Z" });
  for (const secret of ["generic-secret-0123456789", "wrong-secret-000000000000"]) {
    await t.request(`/api/affiliate/webhook?provider=generic&i=${net.integrationId}`, { method: "POST", body: order(`W-${secret.slice(0, 5)}`), headers: { "content-type": "application/json", "x-lastclick-secret": secret } });
  }
  clock.set(NOV_1);
  await api(t, "POST", "/api/admin/settlements", { period: "2026-10" });
  invites.valid = new URL((await api(t, "POST", "/api/admin/users", { email: "new@pub.example", role: "publisher", publisher_id: net.beta.id })).invite_url).pathname;

  // A brand-new network: one user of each role and nothing else.
  empty = await startNetwork(dirs[1]!, new FakeClock(NOV_1));
  const brand = await api(empty.t, "POST", "/api/admin/brands", { name: "First Brand" });
  const publisher = await api(empty.t, "POST", "/api/admin/publishers", { name: "First Publisher", email: "first@pub.example" });
  await makeUser(empty.t, "ops@network.example", "admin");
  await makeUser(empty.t, "billing@acme.example", "brand", { brand_id: brand.id });
  await makeUser(empty.t, "alpha-user@pub.example", "publisher", { publisher_id: publisher.id });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await full?.close();
  await empty?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Desktop then phone: status, a heading, no page or table overflow at 1280 px, no page overflow on a phone, screenshots. */
async function visit(page: Page, url: string, name: string, expectStatus = 200) {
  await page.setViewportSize({ width: 1280, height: 900 });
  const res = await page.goto(url);
  expect(`${name} ${res?.status()}`).toBe(`${name} ${expectStatus}`);
  expect((await page.locator("h1").first().textContent())?.trim().length).toBeGreaterThan(0);
  expect(`${name} ${await pageWidth(page)}`).toBe(`${name} 1280`);
  expect(`${name} ${await wideTables(page)}`).toBe(`${name} `); // no table scrolls sideways on a desktop
  expect(`${name} ${await unnamed(page)}`).toBe(`${name} `);
  await page.screenshot({ path: join(SHOTS, `detail-${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(`${name} phone ${await pageWidth(page)}`).toBe(`${name} phone 390`);
  await page.screenshot({ path: join(SHOTS, `detail-${name}-phone.png`), fullPage: true });
}

/** The first link on `list` whose path matches `pattern` (ids are found as a person finds them). */
async function firstLink(page: Page, base: string, list: string, pattern: RegExp): Promise<string> {
  await page.goto(base + list);
  const hrefs = await page.$$eval("#main a[href]", (as) => as.map((a) => a.getAttribute("href")!));
  const href = hrefs.find((h) => pattern.test(h));
  if (!href) throw new Error(`no link like ${pattern} on ${list}`);
  return href;
}

for (const role of ["admin", "brand", "publisher"] as const) {
  test(`${role}: every list page fits a 1280 and a 1440 px screen (no sideways scroll)`, async () => {
    const { page, problems } = await watchedPage(browser.context);
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, full.base, role);
    const overflow: string[] = [];
    for (const { href } of NAV[role]) {
      for (const width of [1280, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(full.base + href);
        if ((await pageWidth(page)) > width) overflow.push(`${href} @${width}: page ${await pageWidth(page)}`);
        for (const w of await wideTables(page)) overflow.push(`${href} @${width}: ${w}`);
        for (const u of await unnamed(page)) overflow.push(`${href}: unnamed ${u}`);
        if (width === 1280) await page.screenshot({ path: join(SHOTS, `fit-${role}${href.replace(/\//g, "-")}.png`), fullPage: true });
      }
    }
    expect(overflow).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);
}

test("admin: detail and edit pages (conversion, brand, program, publisher, inbox request, payout, invoice, smart-link scores)", async () => {
  const { page, problems } = await watchedPage(browser.context);
  const b = full.base;
  await signIn(page, b, "admin");
  const pages: [string, string][] = [
    ["admin-conversion", await firstLink(page, b, "/admin/conversions", /^\/admin\/conversions\/[0-9a-f-]{36}$/)],
    ["admin-brand", await firstLink(page, b, "/admin/brands", /^\/admin\/brands\/[0-9a-f-]{36}$/)],
    ["admin-program", await firstLink(page, b, "/admin/programs", /^\/admin\/programs\/[0-9a-f-]{36}$/)],
    ["admin-program-new", "/admin/programs/new"],
    ["admin-publisher", await firstLink(page, b, "/admin/publishers", /^\/admin\/publishers\/[0-9a-f-]{36}$/)],
    ["admin-inbox-request", await firstLink(page, b, "/admin/inbox", /^\/admin\/inbox\/[0-9a-f-]{36}$/)],
    ["admin-payout", await firstLink(page, b, "/admin/payouts", /^\/admin\/payouts\/[0-9a-f-]{36}$/)],
    ["admin-invoice", await firstLink(page, b, "/admin/invoices", /^\/admin\/invoices\/[0-9a-f-]{36}$/)],
    ["admin-postback", await firstLink(page, b, "/admin/postbacks", /^\/admin\/postbacks\/[0-9a-f-]{36}$/)],
    ["admin-rubric", "/admin/rubric"],
    ["admin-scores", "/admin/scores"],
    ["admin-account", "/account"],
  ];
  pages.push(["admin-brand-keys", `${pages[1]![1]}/keys`]);
  for (const [name, url] of pages) await visit(page, b + url, name);
  // A reconciliation report, made as a person makes it: upload the platform's monthly file.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${b}/admin/reconciliation`);
  await page.selectOption("#f-integration_id", integrationId);
  await page.fill("#f-period", "2026-10");
  await page.setInputFiles("#f-file", { name: "october.csv", mimeType: "text/csv", buffer: Buffer.from("order_id,amount,commission,currency,status\nA-1001,250.00,100.00,USD,approved\nA-1002,260.00,100.00,USD,approved\nZ-77,40.00,4.00,USD,approved\n") });
  await Promise.all([page.waitForURL(/\/admin\/reconciliation\/[0-9a-f-]{36}/), page.click("button:has-text('Reconcile')")]);
  await visit(page, page.url(), "admin-reconciliation-report");
  expect(problems).toEqual([]);
  await page.close();
}, 300_000);

test("brand and publisher: program, integration setup, payout detail pages", async () => {
  const b = full.base;
  const brand = await watchedPage(browser.context);
  await signIn(brand.page, b, "brand");
  const brandPages: [string, string][] = [
    ["brand-program", await firstLink(brand.page, b, "/dashboard/brand/programs", /^\/dashboard\/brand\/programs\/[0-9a-f-]{36}$/)],
    ["brand-integration", await firstLink(brand.page, b, "/dashboard/brand/integrations", /^\/dashboard\/brand\/integrations\/[0-9a-f-]{36}$/)],
  ];
  for (const [name, url] of brandPages) await visit(brand.page, b + url, name);
  expect(brand.problems).toEqual([]);
  await brand.page.close();

  const pub = await watchedPage(browser.context);
  await signIn(pub.page, b, "publisher");
  const payout = await firstLink(pub.page, b, "/dashboard/publisher/payouts", /^\/dashboard\/publisher\/payouts\/[0-9a-f-]{36}$/);
  await visit(pub.page, b + payout, "publisher-payout");
  await visit(pub.page, b + await firstLink(pub.page, b, "/dashboard/publisher/postbacks", /^\/dashboard\/publisher\/postbacks\/[0-9a-f-]{36}$/), "publisher-postback");
  await visit(pub.page, b + "/account", "publisher-account");
  expect(pub.problems).toEqual([]);
  await pub.page.close();
}, 300_000);

test("public pages: sign in, signup, invites (valid, expired, used), rubric, smart-link match, referrer", async () => {
  // As a visitor (no session). The wrong password (401), closed signup (404), expired and used invites (410)
  // answer so on purpose: the browser logs those statuses as console errors.
  await browser.context.clearCookies();
  const { page, problems } = await watchedPage(browser.context, /\/(invite\/|login$|signup$)/);
  const b = full.base;
  await visit(page, `${b}/login`, "public-login");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.fill("#f-email", "nobody@example.com");
  await page.fill("#f-password", "wrong password");
  await page.click("button[type=submit]");
  await page.waitForSelector(".flash-error");
  await page.screenshot({ path: join(SHOTS, "detail-public-login-error.png"), fullPage: true });
  await visit(page, `${b}/signup`, "public-signup", (await full.t.request("/signup")).status);
  await visit(page, b + invites.valid, "public-invite-valid");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.fill("#f-password", "short");
  await page.fill("#f-confirm", "different");
  await page.click("button[type=submit]");
  await page.waitForSelector(".field.has-error");
  await page.screenshot({ path: join(SHOTS, "detail-public-invite-errors.png"), fullPage: true });
  await visit(page, b + invites.expired, "public-invite-expired", 410);
  await visit(page, b + invites.used, "public-invite-used", 410);
  await visit(page, `${b}/rubric`, "public-rubric");
  await visit(page, `${b}/m/${smartCode}`, "public-smart-match");
  await visit(page, `${b}/`, "public-home");
  expect(problems).toEqual([]);
  await page.close();
}, 300_000);

test("the statement and invoice PDFs render (pdftoppm) for a person to look at", async () => {
  const { page } = await watchedPage(browser.context);
  const b = full.base;
  await signIn(page, b, "admin");
  const payout = await firstLink(page, b, "/admin/payouts", /^\/admin\/payouts\/[0-9a-f-]{36}$/);
  const invoice = await firstLink(page, b, "/admin/invoices", /^\/admin\/invoices\/[0-9a-f-]{36}$/);
  for (const [name, url] of [["statement", `${payout}/statement.pdf`], ["invoice", `${invoice}/pdf`]] as const) {
    const res = await page.request.get(b + url);
    expect(res.status()).toBe(200);
    const pdf = join(SHOTS, `detail-${name}.pdf`);
    await Bun.write(pdf, await res.body());
    const out = Bun.spawnSync(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", pdf, join(SHOTS, `detail-${name}-pdf`)]);
    expect(out.exitCode).toBe(0);
  }
  await page.close();
}, 120_000);

test("error pages a person sees: unknown address (404), another role's page (403), a failure (500) are styled pages with a way back", async () => {
  // These pages answer 4xx/5xx on purpose: the browser logs those statuses as console errors.
  const { page, problems } = await watchedPage(browser.context, /\/(nowhere|admin\/settings|nope$)/);
  const b = full.base;
  await visit(page, `${b}/nowhere/at/all`, "error-404-public", 404);
  expect(await page.locator("h1").textContent()).toBe("Page not found");
  expect(await page.locator("a[href='/login']").count()).toBe(1);
  await signIn(page, b, "publisher");
  await visit(page, `${b}/admin/settings`, "error-403-role", 403);
  expect(await page.locator("a[href='/dashboard/publisher']").count()).toBe(1);
  // An unknown console address, reached from a console page: the way back is that page.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${b}/dashboard/publisher/stats`);
  await page.evaluate(() => { const a = document.createElement("a"); a.href = "/dashboard/publisher/nope"; a.id = "gone"; a.textContent = "gone"; document.querySelector("#main")!.append(a); });
  await Promise.all([page.waitForURL(/nope$/), page.click("#gone")]);
  expect(await page.locator("h1").textContent()).toBe("Page not found");
  expect(await page.locator("a.button.primary").getAttribute("href")).toBe("/dashboard/publisher/stats");
  await page.screenshot({ path: join(SHOTS, "detail-error-404-console.png"), fullPage: true });
  // The API keeps its JSON.
  const api404 = await page.request.get(`${b}/api/nowhere`, { headers: { accept: "text/html" } });
  expect(api404.status()).toBe(404);
  expect(api404.headers()["content-type"]).toContain("application/json");
  expect(problems).toEqual([]);
  await page.close();
}, 120_000);

for (const role of ["admin", "brand", "publisher"] as const) {
  test(`${role}: a brand-new network (no data): every list shows an empty state that says what to do next`, async () => {
    const { page, problems } = await watchedPage(browser.context);
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, empty.base, role);
    for (const { href } of NAV[role]) {
      const name = `empty-${role}${href.replace(/\//g, "-")}`;
      await visit(page, empty.base + href, name);
      // An empty table never shows as bare headers: it is an empty state with a next step.
      const bare = await page.evaluate(() => [...document.querySelectorAll("table.data tbody")].filter((b) => b.children.length === 0).length);
      expect(`${href} ${bare}`).toBe(`${href} 0`);
      for (const text of await page.locator(".empty").allTextContents()) expect(text.trim().length).toBeGreaterThan(20);
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);
}

// Last: it breaks the full network's database on purpose.
test("a failure (500) is a styled page with a reference and a way back, not raw JSON", async () => {
  const { page } = await watchedPage(browser.context);
  await signIn(page, full.base, "publisher");
  full.breakDatabase();
  await visit(page, `${full.base}/dashboard/publisher/stats`, "error-500", 500);
  expect(await page.locator("h1").textContent()).toBe("Something went wrong");
  expect(await page.locator(".status-code code").textContent()).toMatch(/\S{6,}/);
  expect(await page.locator("a[href='/login']").count()).toBe(1);
  await page.close();
}, 60_000);
