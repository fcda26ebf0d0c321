import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { createAdminToken } from "../../src/network/admin-tokens";
import { SYSTEM } from "../../src/auth/authenticate";
import { createUser } from "../../src/auth/users/create-user";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";
import { CHROMIUM } from "../helpers/browser";

// Four people in real Chromium, each in its own browser context, signed in through the form:
// the admin, the brand and publisher A watch their overviews, publisher B watches its own.
// A postback for A appears on the first three within a second and never on B's; an
// approval from the admin API moves A's balance live. Screenshots: test/browser/screenshots/.
const SHOTS = resolve(import.meta.dir, "screenshots");
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
const PASSWORD = "overview password 1";
let dir: string;
let app: Running;
let browser: Browser;
let token = "";
const net = { brandKey: "", programId: "", slugA: "", slugB: "" };

async function call(method: string, path: string, body?: unknown, bearer = token) {
  const res = await fetch(app.url + path, { method, headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json() as any;
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(json)}`);
  return json;
}
async function person(email: string, role: "admin" | "brand" | "publisher", party: { brandId?: string; publisherId?: string } = {}) {
  const { invite_url } = await createUser(app.ctx, SYSTEM, { email, role, ...party });
  const res = await fetch(app.url + new URL(invite_url).pathname, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ password: PASSWORD, confirm: PASSWORD }) });
  expect(res.status).toBe(303);
}
async function signIn(email: string, lands: RegExp): Promise<Page> {
  const context = await browser.newContext({ userAgent: UA, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${app.url}/login`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", PASSWORD);
  await Promise.all([page.waitForURL(lands), page.click("button[type=submit]")]);
  await page.waitForSelector("#live-status[data-state=live]", { timeout: 5000 });
  return page;
}
/** A visitor follows a tracking link: the click id the shop would get. */
async function visit(slug: string, query = ""): Promise<string> {
  const res = await fetch(`${app.url}/go/${slug}${query}`, { redirect: "manual", headers: { "user-agent": UA } });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!).searchParams.get("lc_click")!;
}
async function shoot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "lastclick-overviews-"));
  app = await serve(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", PUBLIC_URL: "http://127.0.0.1" }), { handleSignals: false });
  token = (await createAdminToken(app.ctx.db, "browser test")).token;
  const brand = await call("POST", "/api/admin/brands", { name: "Acme Outdoor" });
  net.brandKey = (await call("POST", `/api/admin/brands/${brand.id}/api-keys`, { mode: "live" })).key;
  const program = await call("POST", "/api/admin/programs", { brand_id: brand.id, name: "Tents & Tarps", dest_url: "https://shop.example/tents", commission_type: "percentage", commission_value: "10", currency: "USD" });
  net.programId = program.id;
  const pubA = await call("POST", "/api/admin/publishers", { name: "Alpha Trail Blog", email: "alpha@pub.example" });
  const pubB = await call("POST", "/api/admin/publishers", { name: "Beta Reviews", email: "beta@pub.example" });
  net.slugA = (await call("POST", "/api/admin/approvals", { program_id: program.id, publisher_id: pubA.id })).slug;
  net.slugB = (await call("POST", "/api/admin/approvals", { program_id: program.id, publisher_id: pubB.id })).slug;
  await person("ops@network.example", "admin");
  await person("buyer@acme.example", "brand", { brandId: brand.id });
  await person("alpha@pub.example", "publisher", { publisherId: pubA.id });
  await person("beta@pub.example", "publisher", { publisherId: pubB.id });
  // Some history so the pages have figures: A earns on two sales, B on one.
  for (const [slug, ref, value, sub] of [[net.slugA, "HIST-1", "120", "?sub1=newsletter"], [net.slugA, "HIST-2", "80", ""], [net.slugB, "HIST-3", "200", ""]] as const) {
    const clickId = await visit(slug, sub);
    await call("POST", "/api/conv", { program_id: net.programId, brand_order_ref: ref, order_value: value, order_currency: "USD", lc_click: clickId }, net.brandKey);
  }
  await visit(net.slugA, "?sub1=sidebar");
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("a postback appears live on the admin, brand and publisher A overviews, never on B's; approval moves A's balance", async () => {
  const admin = await signIn("ops@network.example", /\/admin$/);
  const brand = await signIn("buyer@acme.example", /\/dashboard\/brand$/);
  const a = await signIn("alpha@pub.example", /\/dashboard\/publisher$/);
  const b = await signIn("beta@pub.example", /\/dashboard\/publisher$/);
  expect(await a.locator("#balance").textContent()).toContain("Pending16.00 USD");

  const clickId = await visit(net.slugA);
  const sent = Date.now();
  const res = await call("POST", "/api/conv", { program_id: net.programId, brand_order_ref: "LIVE-<b>1001</b>", order_value: "150", order_currency: "USD", lc_click: clickId }, net.brandKey);
  expect(res.status).toBe("created");
  const shows = (page: Page) => page.waitForFunction(() => document.querySelector("#latest")?.textContent?.includes("LIVE-<b>1001</b>"), null, { timeout: 1000 });
  await Promise.all([shows(admin), shows(brand), shows(a)]);
  const took = Date.now() - sent;
  expect(took).toBeLessThan(1000);
  // The order ref is text, not markup; A's balance and KPIs moved without a reload.
  expect(await a.locator("#latest b").count()).toBe(0);
  expect(await a.locator("#balance").textContent()).toContain("Pending28.00 USD");
  expect(await admin.locator("#kpis").textContent()).toContain("Conversions4");
  // B's page never shows it (given the same second it had to appear on the others).
  await b.waitForTimeout(1000);
  expect(await b.locator("#latest").textContent()).not.toContain("LIVE-");
  expect(await b.locator("#balance").textContent()).toContain("Pending16.00 USD");

  // Approve from the admin API: A's approved balance and progress move live.
  await call("POST", `/api/admin/conversions/${res.conversion.id}/approve`, {});
  await a.waitForFunction(() => document.querySelector("#balance")?.textContent?.includes("Approved12.00 USD"), null, { timeout: 1000 });
  expect(await a.locator("#balance [role=progressbar]").getAttribute("aria-valuenow")).toBe("24");
  await brand.waitForFunction(() => document.querySelector("#latest .badge-approved") !== null, null, { timeout: 1000 });

  await shoot(admin, "overview-admin");
  await shoot(brand, "overview-brand");
  await shoot(a, "overview-publisher");
  await a.goto(`${app.url}/dashboard/publisher/stats?by=sub1`);
  expect(await a.locator("#stats-table").textContent()).toContain("newsletter");
  await shoot(a, "publisher-stats");
  await a.goto(`${app.url}/dashboard/publisher/stats?by=country`);
  expect(await a.locator("a", { hasText: "IP geolocation by DB-IP" }).count()).toBe(1);
  for (const p of [admin, brand, a, b]) await p.context().close();
}, 120_000);

test("a burst of events: the page refreshes at most twice a second, and the last change still shows", async () => {
  const admin = await signIn("ops@network.example", /\/admin$/);
  // When live.js starts each refresh, timed in the page: request events reach this process
  // late when it is busy, so two of them could look closer together than they were.
  await admin.evaluate(() => {
    const w = window as unknown as { refreshStarts: number[] };
    w.refreshStarts = [];
    const send = window.fetch.bind(window);
    window.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      if (new Headers(init?.headers).get("x-live-refresh") === "1") w.refreshStarts.push(Date.now());
      return send(input, init);
    }) as typeof fetch;
  });
  const clicks = [];
  for (let i = 0; i < 12; i++) clicks.push(await visit(net.slugA));
  const started = Date.now();
  for (const [i, clickId] of clicks.entries()) { // ~12 events over ~1.5 s
    await call("POST", "/api/conv", { program_id: net.programId, brand_order_ref: `BURST-${i}`, order_value: "10", order_currency: "USD", lc_click: clickId }, net.brandKey);
    await Bun.sleep(120);
  }
  await admin.waitForFunction(() => document.querySelector("#latest")?.textContent?.includes("BURST-11"), null, { timeout: 2000 });
  const span = Date.now() - started;
  const refreshes = await admin.evaluate(() => (window as unknown as { refreshStarts: number[] }).refreshStarts);
  // Refresh starts at least 500 ms apart: at most one per 500 ms of the burst, plus the first.
  expect(refreshes.length).toBeGreaterThanOrEqual(2);
  expect(refreshes.length).toBeLessThanOrEqual(Math.ceil(span / 500) + 1);
  for (let i = 1; i < refreshes.length; i++) expect(refreshes[i]! - refreshes[i - 1]!).toBeGreaterThanOrEqual(450);
  await admin.context().close();
}, 60_000);
