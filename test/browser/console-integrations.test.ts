import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { createAdminToken } from "../../src/network/admin-tokens";
import { SYSTEM } from "../../src/auth/authenticate";
import { createUser } from "../../src/auth/users/create-user";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";
import { launchBrowser } from "../helpers/browser";

// A person in a real browser: the admin connects a generic integration, copies its webhook URL,
// the platform (this test, with fetch) sends a webhook, the admin finds it in the inbox and
// replays it; the brand finds its program id in the setup snippets. Screenshots of every
// integration page, desktop and phone: test/browser/screenshots/ (git-ignored).
const SHOTS = resolve(import.meta.dir, "screenshots");
let dir: string;
let app: Running;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let token = "";
const ids: Record<string, string> = {};

async function call(method: string, path: string, json?: unknown) {
  const res = await fetch(app.url + path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: json === undefined ? undefined : JSON.stringify(json) });
  const body = await res.json() as Record<string, string>;
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function user(email: string, role: "admin" | "brand" | "publisher", party: { brandId?: string; publisherId?: string } = {}) {
  const u = await createUser(app.ctx, SYSTEM, { email, role, brandId: party.brandId ?? null, publisherId: party.publisherId ?? null });
  const res = await fetch(new URL(new URL(u.invite_url).pathname, app.url), { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "password=correct+horse+battery&confirm=correct+horse+battery" });
  expect(res.status).toBe(303);
}

async function signIn(page: Page, email: string, landing: RegExp) {
  await browser.context.clearCookies();
  await page.goto(`${app.url}/login`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", "correct horse battery");
  await Promise.all([page.waitForURL(landing), page.click("button[type=submit]")]);
}

async function shoot(page: Page, path: string, name: string) {
  await page.goto(app.url + path);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "lastclick-integrations-"));
  app = await serve(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off" }), { handleSignals: false });
  token = (await createAdminToken(app.ctx.db, "browser test", Date.now())).token;
  ids.brand = (await call("POST", "/api/admin/brands", { name: "Acme Outdoor" })).id!;
  ids.program = (await call("POST", "/api/admin/programs", { brand_id: ids.brand, name: "Acme Tents", dest_url: "https://shop.example/tents", commission_type: "percentage", commission_value: "10", currency: "USD", attributes: { category: "tents" } })).id!;
  ids.publisher = (await call("POST", "/api/admin/publishers", { name: "Trail Blog", email: "hello@trail.example" })).id!;
  await call("POST", "/api/admin/approvals", { program_id: ids.program, publisher_id: ids.publisher });
  await call("PUT", "/api/admin/rubric", { threshold: 70, signals: [
    { key: "quality", name: "Product quality", description: "Independent tests and return rates", weight: 50 },
    { key: "service", name: "Customer service", weight: 30 }, { key: "shipping", name: "Shipping & returns", weight: 20 }] });
  await call("PUT", `/api/admin/programs/${ids.program}/scores`, { scores: { quality: 0.9, service: 0.8, shipping: 0.7 }, note: "Lab-tested, 30-day returns" });
  await call("POST", "/api/admin/smart-links", { criteria: { category: "tents" }, publisher_id: ids.publisher, code: "best-tents" });
  await call("POST", `/api/admin/publishers/${ids.publisher}/postbacks`, { url: "https://tracker.example/pb?cid={click_id}&amount={payout}", events: ["conversion.created", "conversion.approved"] });
  await user("admin@network.example", "admin");
  await user("dev@acme.example", "brand", { brandId: ids.brand });
  await user("me@trail.example", "publisher", { publisherId: ids.publisher });
  browser = await launchBrowser();
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("admin connects a generic integration, copies the webhook URL, a webhook arrives, the admin replays it", async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "admin@network.example", /\/admin$/);
  await Promise.all([page.waitForURL(/\/admin\/integrations$/), page.click("nav.mainnav >> text=Integrations")]);
  await page.selectOption("#f-program_id", { label: "Acme Tents (Acme Outdoor)" });
  await page.selectOption("#f-provider", "generic");
  expect(await page.isVisible("#f-secret")).toBe(false); // only the chosen platform's fields
  await page.fill("#f-generic_secret", "acme-shared-secret");
  await page.fill("#f-vendor_id", "acme-store");
  await Promise.all([page.waitForLoadState("load"), page.click("button:has-text(\"Connect\")")]);
  await page.click("#integration-created button[data-copy]");
  const webhookUrl = await page.evaluate(() => navigator.clipboard.readText());
  expect(webhookUrl).toBe(await page.inputValue("#created-webhook-url"));
  expect(webhookUrl).toMatch(/\/api\/affiliate\/webhook\?provider=generic&i=[0-9a-f-]{36}$/);
  await page.screenshot({ path: join(SHOTS, "admin-integration-created.png"), fullPage: true });

  // The platform sends a conversion (an attacker-controlled order id, shown as text).
  const res = await fetch(webhookUrl, { method: "POST", headers: { "content-type": "application/json", "x-lastclick-secret": "acme-shared-secret" },
    body: JSON.stringify({ vendor_id: "acme-store", order_id: "TEST-<b>1001</b>", order_total: "0.01", commission_total: "0.00", currency: "usd", submission_id: "", occurred_at: new Date().toISOString() }) });
  expect(res.status).toBe(200);
  const inboxId = (await res.json() as { inbox_id: string }).inbox_id;

  await Promise.all([page.waitForURL(/\/admin\/inbox$/), page.click("nav.mainnav >> text=Inbox")]);
  const row = page.locator(`#inbox-${inboxId}`);
  expect(await row.locator(".badge").first().textContent()).toBe("accepted");
  await page.screenshot({ path: join(SHOTS, "admin-inbox.png"), fullPage: true });
  await row.locator("text=Replay").click();
  await page.locator(`#replay-${inboxId} .replay-verdict`).waitFor();
  expect(await page.locator(`#replay-${inboxId}`).textContent()).toContain("duplicate");
  await page.screenshot({ path: join(SHOTS, "admin-inbox-replayed.png"), fullPage: true });
  await page.click(`#inbox-${inboxId} >> text=Details`);
  expect(await page.locator("pre.body-dump").textContent()).toContain("TEST-<b>1001</b>");
  await page.screenshot({ path: join(SHOTS, "admin-inbox-detail.png"), fullPage: true });

  for (const [path, name] of [["/admin/integrations", "admin-integrations"], ["/admin/inbox", "admin-inbox-list"], ["/admin/postbacks", "admin-postbacks"], ["/admin/keys", "admin-keys"],
    [`/admin/brands/${ids.brand}/keys`, "admin-brand-keys"], ["/admin/tokens", "admin-tokens"], ["/admin/rubric", "admin-rubric"], [`/admin/scores?program=${ids.program}`, "admin-scores"],
    ["/admin/smart-links", "admin-smart-links"]] as const) await shoot(page, path, name);
}, 120_000);

test("the brand sees its setup snippets with its program id; the publisher its postbacks and smart links", async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "dev@acme.example", /\/dashboard\/brand$/);
  await Promise.all([page.waitForURL(/\/dashboard\/brand\/integrations$/), page.click("nav.mainnav >> text=Integrations")]);
  expect(await page.locator("#program-id").textContent()).toBe(ids.program!);
  const curl = (await page.locator("#snippet-curl").textContent())!;
  expect(curl).toContain(`"program_id":"${ids.program}"`);
  expect(curl).toContain(`${app.ctx.config.PUBLIC_URL}/api/conv`);
  expect(curl).toContain("lc_live_YOUR_KEY");
  await shoot(page, "/dashboard/brand/integrations", "brand-integrations");
  await page.click("nav.mainnav >> text=API keys");
  await Promise.all([page.waitForLoadState("load"), page.click("text=Create test key")]);
  const key = await page.inputValue("#new-key");
  expect(key).toMatch(/^lc_test_/);
  await page.screenshot({ path: join(SHOTS, "brand-key-created.png"), fullPage: true });
  await page.goto(`${app.url}/dashboard/brand/keys`);
  expect(await page.content()).not.toContain(key);
  await shoot(page, "/dashboard/brand/keys", "brand-keys");

  await signIn(page, "me@trail.example", /\/dashboard\/publisher$/);
  await shoot(page, "/dashboard/publisher/postbacks", "publisher-postbacks");
  await shoot(page, "/dashboard/publisher/smart-links", "publisher-smart-links");
  expect(await page.locator("#main").textContent()).toContain("best-tents");
}, 120_000);
