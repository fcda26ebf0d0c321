import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { createBrand } from "../../src/network/brands";
import { createProgram } from "../../src/network/programs";
import { createPublisher } from "../../src/network/publishers";
import { SYSTEM } from "../../src/auth/authenticate";
import { acceptInvite } from "../../src/auth/users/accept-invite";
import { createUser } from "../../src/auth/users/create-user";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";
import { launchBrowser } from "../helpers/browser";

// A person in a real browser: the admin creates a program through the form and sees the canonical
// destination (previewed on blur, shown back after save); a publisher applies; the admin approves
// the application; the publisher builds a link with sub1 and UTM tags, copies it and sees its QR code.
// Screenshots of every network page, desktop and phone width: test/browser/screenshots/ (git-ignored).
const SHOTS = resolve(import.meta.dir, "screenshots");
const PASSWORD = "a long test password";
let dir: string;
let app: Running;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

async function account(email: string, role: "admin" | "brand" | "publisher", party: { brandId?: string; publisherId?: string } = {}) {
  const u = await createUser(app.ctx, SYSTEM, { email, role, brandId: party.brandId ?? null, publisherId: party.publisherId ?? null });
  await acceptInvite(app.ctx, new URL(u.invite_url).pathname.split("/").pop()!, PASSWORD);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "lastclick-network-"));
  app = await serve(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off" }), { handleSignals: false });
  const brand = await createBrand(app.ctx, SYSTEM, { name: "Acme Outdoor" });
  await createProgram(app.ctx, SYSTEM, { brand_id: brand.id, name: "Acme Boots", dest_url: "https://shop.example/boots", status: "active", commission_type: "flat_cpa", commission_value: "15", currency: "USD", cookie_window_days: 30, network_fee_pct: "20", pass_through_params: false, attributes: { category: ["outdoor"], countries: ["US", "CA"] } });
  const pub = await createPublisher(app.ctx, SYSTEM, { name: "Trail Blog", email: "hello@trail.example" });
  await account("owner@network.example", "admin");
  await account("pub@trail.example", "publisher", { publisherId: pub.id });
  await account("buyer@acme.example", "brand", { brandId: brand.id });
  browser = await launchBrowser();
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(page: Page, email: string, landing: RegExp) {
  await page.goto(`${app.url}/login`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", PASSWORD);
  await Promise.all([page.waitForURL(landing), page.click("button[type=submit]")]);
}
async function signOut(page: Page) {
  await page.click(".usermenu summary");
  await Promise.all([page.waitForURL(/\/login$/), page.click("text=Sign out")]);
}
/** Desktop and phone-width screenshots of the current page. */
async function shoot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("admin creates a program and approves an application; the publisher applies and builds a link", async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });

  // Admin: a new program through the form; the destination is previewed on blur in canonical form.
  await signIn(page, "owner@network.example", /\/admin$/);
  await Promise.all([page.waitForURL(/\/admin\/programs$/), page.click("nav.mainnav >> text=Programs")]);
  await Promise.all([page.waitForURL(/\/admin\/programs\/new$/), page.click("text=New program")]);
  await page.selectOption("#f-brand_id", { label: "Acme Outdoor" });
  await page.fill("#f-name", "Acme Tents");
  await page.fill("#f-dest_url", "https://Shop.EXAMPLE:443/tents?src=aff#reviews");
  await page.focus("#f-commission_value");
  await page.waitForSelector("#dest-preview code");
  expect(await page.locator("#dest-preview code").textContent()).toBe("https://shop.example/tents?src=aff#reviews");
  await page.fill("#f-commission_value", "10");
  await page.fill("#f-category", "outdoor");
  await page.fill("#f-countries", "US, CA");
  await page.check("input[name=devices][value=mobile]");
  await shoot(page, "admin-program-new");
  await Promise.all([page.waitForURL(/\/admin\/programs\/[\w-]+\?saved=1$/), page.click("text=Create program")]);
  expect(await page.locator("#saved-url code").textContent()).toBe("https://shop.example/tents?src=aff#reviews");
  await shoot(page, "admin-program-edit");
  // A bad destination on edit: the error sits next to the field and nothing changes.
  await page.fill("#f-dest_url", "https://user:secret@shop.example/");
  await page.click("text=Save changes");
  await page.waitForSelector("#f-dest_url-err");
  expect(await page.locator("#f-dest_url-err").textContent()).toContain("user name or password");
  await shoot(page, "admin-program-error");
  await page.goto(`${app.url}/admin/programs`);
  expect(await page.locator("#main table").textContent()).toContain("Acme Tents");
  await shoot(page, "admin-programs");
  await signOut(page);

  // Publisher: the marketplace; apply to Acme Tents.
  await signIn(page, "pub@trail.example", /\/dashboard\/publisher$/);
  await Promise.all([page.waitForURL(/\/dashboard\/publisher\/programs$/), page.click("nav.mainnav >> text=Programs")]);
  await Promise.all([page.waitForLoadState("load"), page.click("button[aria-label='Apply to Acme Tents']")]);
  expect(await page.locator(".flash-ok").textContent()).toContain("Application sent");
  await shoot(page, "publisher-programs-pending");
  await signOut(page);

  // Admin: approve it from Applications; then the other network pages.
  await signIn(page, "owner@network.example", /\/admin$/);
  await page.goto(`${app.url}/admin/applications`);
  expect(await page.locator("#main table").textContent()).toContain("Trail Blog");
  await shoot(page, "admin-applications");
  await Promise.all([page.waitForLoadState("load"), page.click("button[aria-label='Approve: Trail Blog for Acme Tents']")]);
  expect(await page.locator(".flash-ok").textContent()).toContain("Approved");
  for (const [path, name] of [["/admin/links", "admin-links"], ["/admin/publishers", "admin-publishers"], ["/admin/brands", "admin-brands"], ["/admin/fx-rates", "admin-fx-rates"], ["/admin/settings", "admin-settings"]]) {
    await page.goto(app.url + path!);
    await shoot(page, name!);
  }
  await page.goto(`${app.url}/admin/brands`);
  await Promise.all([page.waitForURL(/\/admin\/brands\/[\w-]+$/), page.click("#main table a >> text=Acme Outdoor")]);
  await shoot(page, "admin-brand");
  await signOut(page);

  // Publisher: the link is there; build one with sub1 and UTM tags, copy it, see the QR code.
  await signIn(page, "pub@trail.example", /\/dashboard\/publisher$/);
  await page.goto(`${app.url}/dashboard/publisher/programs`);
  await shoot(page, "publisher-programs");
  await Promise.all([page.waitForURL(/\/dashboard\/publisher\/links$/), page.click("nav.mainnav >> text=Links")]);
  await page.selectOption("#f-link", { label: "Acme Tents" });
  await page.fill("#f-sub1", "post-42");
  await page.fill("#f-utm_source", "newsletter");
  await page.fill("#f-utm_campaign", "spring sale");
  await page.waitForFunction(() => (document.getElementById("built-url") as HTMLInputElement | null)?.value.endsWith("utm_campaign=spring+sale"));
  const built = await page.inputValue("#built-url");
  expect(built).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+\/go\/[\w-]+\?sub1=post-42&utm_source=newsletter&utm_campaign=spring\+sale$/);
  expect(await page.locator("figure.qr svg").count()).toBe(1);
  await page.click("#link-result .copy-btn");
  await page.waitForFunction(() => document.querySelector("#link-result .copy-btn")?.textContent === "Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(built);
  await shoot(page, "publisher-links");
  // The built link works: it redirects to the program with the click recorded.
  const res = await fetch(built, { redirect: "manual", headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130" } });
  expect(res.status).toBe(302);
  expect(res.headers.get("location")).toStartWith("https://shop.example/tents?src=aff&lc_click=");

  // Payout settings: a wrong routing number shows next to its field.
  await Promise.all([page.waitForURL(/\/dashboard\/publisher\/settings$/), page.click("nav.mainnav >> text=Settings")]);
  await page.check("input[name=payout_method][value=ACH]");
  await page.fill("[id='f-ACH.account_holder']", "Ann Lee");
  await page.fill("[id='f-ACH.routing_number']", "123456789");
  await page.fill("[id='f-ACH.account_number']", "12345678");
  await page.click("text=Save settings");
  await page.waitForSelector("[id='f-ACH.routing_number-err']");
  await shoot(page, "publisher-settings-error");
  await page.fill("[id='f-ACH.routing_number']", "021000021");
  await Promise.all([page.waitForLoadState("load"), page.click("text=Save settings")]);
  expect(await page.locator(".flash-ok").textContent()).toContain("Settings saved");
  await shoot(page, "publisher-settings");
  await signOut(page);

  // Brand: its programs and their publishers.
  await signIn(page, "buyer@acme.example", /\/dashboard\/brand$/);
  await Promise.all([page.waitForURL(/\/dashboard\/brand\/programs$/), page.click("nav.mainnav >> text=Programs")]);
  await shoot(page, "brand-programs");
  await Promise.all([page.waitForURL(/\/dashboard\/brand\/programs\/[\w-]+$/), page.click("#main table a >> text=Acme Tents")]);
  expect(await page.locator("#main").textContent()).toContain("Trail Blog");
  await shoot(page, "brand-program");
}, 180_000);
