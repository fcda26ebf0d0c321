import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { wideTables } from "../helpers/tour";
import type { Page } from "playwright-core";
import { createAdminToken } from "../../src/network/admin-tokens";
import { SYSTEM } from "../../src/auth/authenticate";
import { createUser } from "../../src/auth/users/create-user";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";
import { launchBrowser } from "../helpers/browser";

// A person in a real browser: the admin filters the review queue, bulk-approves two conversions,
// opens a detail page; an order ref with <script> shows as text. Brand and publisher pages too.
// Screenshots (desktop and phone) for a person to look at: test/browser/screenshots/ (git-ignored).
const SHOTS = resolve(import.meta.dir, "screenshots");
const XSS = "<script>alert(1)</script>";
let dir: string;
let app: Running;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const invites: Record<string, string> = {};
let dialogs = 0;

async function api(method: string, path: string, token: string, json?: unknown) {
  const res = await fetch(app.url + path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: json === undefined ? undefined : JSON.stringify(json) });
  const body = await res.json() as any;
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(body)}`);
  return body;
}
async function clickThrough(slug: string) {
  const res = await fetch(`${app.url}/go/${slug}`, { redirect: "manual", headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130" } });
  return new URL(res.headers.get("location")!).searchParams.get("lc_click");
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "lastclick-conv-pages-"));
  app = await serve(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", NETWORK_TIMEZONE: "Europe/Berlin" }), { handleSignals: false });
  const { token } = await createAdminToken(app.ctx.db, "browser", Date.now());
  const brand = await api("POST", "/api/admin/brands", token, { name: "Acme Outdoor" });
  const key = (await api("POST", `/api/admin/brands/${brand.id}/api-keys`, token, { mode: "live" })).key;
  const program = await api("POST", "/api/admin/programs", token, { brand_id: brand.id, name: "Tents & Tarps", dest_url: "https://shop.example/tents", commission_type: "percentage", commission_value: "10", currency: "EUR" });
  const alpha = await api("POST", "/api/admin/publishers", token, { name: "Alpha Trail Blog", email: "alpha@pub.example" });
  const beta = await api("POST", "/api/admin/publishers", token, { name: "Beta Reviews", email: "beta@pub.example" });
  const linkA = await api("POST", "/api/admin/approvals", token, { program_id: program.id, publisher_id: alpha.id });
  const linkB = await api("POST", "/api/admin/approvals", token, { program_id: program.id, publisher_id: beta.id });
  const orders: [string, string, string][] = [["ORD-1001", linkA.slug, "84.90"], ["ORD-1002", linkA.slug, "129.00"], [XSS, linkA.slug, "42.00"], ["ORD-2001", linkB.slug, "310.00"], ["ORD-2002", linkB.slug, "18.50"]];
  for (const [ref, slug, value] of orders) {
    await api("POST", "/api/conv", key, { program_id: program.id, brand_order_ref: ref, order_value: value, order_currency: "EUR", lc_click: await clickThrough(slug) });
  }
  invites.admin = new URL((await createUser(app.ctx, SYSTEM, { email: "owner@network.example", role: "admin" })).invite_url).pathname;
  invites.brand = new URL((await createUser(app.ctx, SYSTEM, { email: "buyer@acme.example", role: "brand", brandId: brand.id })).invite_url).pathname;
  invites.publisher = new URL((await createUser(app.ctx, SYSTEM, { email: "writer@alpha.example", role: "publisher", publisherId: alpha.id })).invite_url).pathname;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function accept(page: Page, invite: string, home: RegExp) {
  await page.goto(app.url + invite);
  await page.fill("#f-password", "a long password 1");
  await page.fill("#f-confirm", "a long password 1");
  await Promise.all([page.waitForURL(home), page.click("button[type=submit]")]);
}
async function shots(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("admin filters the queue, bulk-approves two conversions, opens a detail page; <script> is text", async () => {
  const page = await browser.context.newPage();
  page.on("dialog", async (d) => { dialogs++; await d.dismiss(); });
  await accept(page, invites.admin!, /\/admin$/);
  await Promise.all([page.waitForURL(/\/admin\/conversions$/), page.click("nav.mainnav >> text=Conversions")]);
  expect(await page.locator("#admin-conversions tbody tr").count()).toBe(5);
  // The XSS order ref is shown as text, and no script ran.
  expect(await page.locator("#admin-conversions code", { hasText: "<script>" }).textContent()).toBe(XSS);
  await shots(page, "admin-conversions");
  // With a long order ref and every row carrying fraud signals, the queue still fits a 1280 px screen.
  expect(await wideTables(page)).toEqual([]);

  await page.selectOption("#f-publisher_id", { label: "Alpha Trail Blog" });
  await Promise.all([page.waitForURL(/publisher_id=/), page.click(".filters button[type=submit]")]);
  expect(await page.locator("#admin-conversions tbody tr").count()).toBe(3);
  expect(await page.locator("#admin-conversions").textContent()).not.toContain("ORD-2001");

  await page.check('input[aria-label="Select order ORD-1001"]');
  await page.check('input[aria-label="Select order ORD-1002"]');
  expect(await page.locator("#bulk-selected").textContent()).toBe("2");
  await page.selectOption("#f-action", "approve");
  await Promise.all([page.waitForLoadState("load"), page.click("text=Apply to selected")]);
  expect(await page.locator(".bulk-results").textContent()).toContain("2 changed, 0 already done, 0 refused.");
  expect(await page.locator(".result-done").count()).toBe(2);
  await shots(page, "admin-conversions-bulk");

  // Reverse without a reason: the error sits next to the field.
  await page.check('input[aria-label="Select order ORD-1001"]');
  await page.selectOption("#f-action", "reverse");
  await Promise.all([page.waitForLoadState("load"), page.click("text=Apply to selected")]);
  expect(await page.locator("#f-reason-err").textContent()).toContain("say why");

  await Promise.all([page.waitForURL(/\/admin\/conversions\/[0-9a-f-]+$/), page.click("#admin-conversions a >> text=ORD-1001")]);
  expect(await page.locator("h1").textContent()).toContain("ORD-1001");
  expect(await page.locator(".attribution").textContent()).toContain("Credited to the publisher of the last click");
  expect(await page.locator("h1 .badge").first().textContent()).toBe("approved");
  await shots(page, "admin-conversion-detail");

  await page.goto(`${app.url}/admin/conversions?q=${encodeURIComponent("<script")}`);
  await Promise.all([page.waitForURL(/\/admin\/conversions\/[0-9a-f-]+$/), page.click("#admin-conversions tbody a")]);
  expect(await page.locator("h1 code").textContent()).toBe(XSS);
  await Promise.all([page.waitForURL(/\/admin\/audit$/), page.click("nav.mainnav >> text=Audit log")]);
  expect(await page.locator("#audit-log tbody tr").count()).toBeGreaterThan(5);
  await shots(page, "admin-audit");
  expect(dialogs).toBe(0);
}, 120_000);

test("the brand sees its conversions and reverses one with a reason; the publisher sees its earnings", async () => {
  const context = browser.context;
  await context.clearCookies();
  const page = await context.newPage();
  page.on("dialog", async (d) => { dialogs++; await d.dismiss(); });
  await accept(page, invites.brand!, /\/dashboard\/brand$/);
  await Promise.all([page.waitForURL(/\/dashboard\/brand\/conversions$/), page.click("nav.mainnav >> text=Conversions")]);
  expect(await page.locator("#brand-conversions tbody tr").count()).toBe(5);
  const row = page.locator("#brand-conversions tr", { hasText: "ORD-2002" });
  await row.locator("summary").click();
  await row.locator('input[name="reason"]').fill("Customer refund");
  await Promise.all([page.waitForLoadState("load"), row.locator("button[type=submit]").click()]);
  expect(await page.locator(".flash-ok").textContent()).toContain("ORD-2002 reversed");
  expect(await page.locator("#brand-conversions tr", { hasText: "ORD-2002" }).locator(".badge").first().textContent()).toBe("reversed");
  await shots(page, "brand-conversions");

  await context.clearCookies();
  await accept(page, invites.publisher!, /\/dashboard\/publisher$/);
  await Promise.all([page.waitForURL(/\/dashboard\/publisher\/earnings$/), page.click("nav.mainnav >> text=Earnings")]);
  expect(await page.locator("#publisher-earnings tbody tr").count()).toBe(3);
  expect(await page.locator("#publisher-earnings").textContent()).not.toContain("ORD-2001");
  expect(await page.locator("#publisher-balances").textContent()).toContain("EUR");
  await shots(page, "publisher-earnings");
  expect(dialogs).toBe(0);
}, 120_000);
