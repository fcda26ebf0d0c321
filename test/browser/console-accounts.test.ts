import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createBrand } from "../../src/network/brands";
import { SYSTEM } from "../../src/auth/authenticate";
import { createUser } from "../../src/auth/users/create-user";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";
import { launchBrowser } from "../helpers/browser";

// A person in a real browser: the first admin sets a password from an invite, signs out, signs in
// through the form, invites a brand user from the users page; that user accepts and signs in.
// Screenshots for a person to look at: test/browser/screenshots/ (git-ignored).
const SHOTS = resolve(import.meta.dir, "screenshots");
let dir: string;
let app: Running;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let adminInvite = "";

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "lastclick-console-"));
  app = await serve(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off" }), { handleSignals: false });
  await createBrand(app.ctx, SYSTEM, { name: "Acme Outdoor" });
  adminInvite = new URL((await createUser(app.ctx, SYSTEM, { email: "owner@network.example", role: "admin" })).invite_url).pathname;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function signOut(page: import("playwright-core").Page) {
  await page.click(".usermenu summary");
  await Promise.all([page.waitForURL(/\/login$/), page.click("text=Sign out")]);
}

test("admin signs in through the form, invites a brand user, who accepts and signs in", async () => {
  const page = await browser.context.newPage();
  // The first admin's invite: set a password, land on the overview.
  await page.goto(app.url + adminInvite);
  await page.fill("#f-password", "owner password 1");
  await page.fill("#f-confirm", "owner password 1");
  await Promise.all([page.waitForURL(/\/admin$/), page.click("button[type=submit]")]);
  expect(await page.locator("h1").textContent()).toBe("Overview");
  await signOut(page);
  expect(await page.locator(".flash-ok").textContent()).toContain("signed out");

  // Wrong password first: the neutral message, beside the form.
  await page.fill("#f-email", "owner@network.example");
  await page.fill("#f-password", "not my password");
  await page.click("button[type=submit]");
  expect(await page.locator(".flash-error").textContent()).toContain("Email or password is incorrect.");
  await page.goto(`${app.url}/login`);
  await page.screenshot({ path: join(SHOTS, "login.png"), fullPage: true });
  await page.fill("#f-email", "owner@network.example");
  await page.fill("#f-password", "owner password 1");
  await Promise.all([page.waitForURL(/\/admin$/), page.click("button[type=submit]")]);

  // Users page: invite a brand user; the link is shown once.
  await Promise.all([page.waitForURL(/\/admin\/users$/), page.click("nav.mainnav >> text=Users")]);
  expect(await page.locator("nav.mainnav a[aria-current=page]").textContent()).toBe("Users");
  await page.fill("#f-email", "buyer@acme.example");
  await page.selectOption("#f-role", "brand");
  await page.selectOption("#f-brand_id", { label: "Acme Outdoor" });
  await Promise.all([page.waitForLoadState("load"), page.click("text=Create invite link")]);
  const inviteUrl = await page.inputValue("#invite-url");
  expect(inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
  expect(await page.locator("#main table").textContent()).toContain("buyer@acme.example");
  await page.screenshot({ path: join(SHOTS, "users.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, "users-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await signOut(page);

  // The brand user accepts the invite, is signed in, signs out and back in through the form.
  await page.goto(app.url + new URL(inviteUrl).pathname);
  await page.fill("#f-password", "buyer password 1");
  await page.fill("#f-confirm", "buyer password 1");
  await Promise.all([page.waitForURL(/\/dashboard\/brand$/), page.click("button[type=submit]")]);
  await signOut(page);
  await page.fill("#f-email", "BUYER@acme.example");
  await page.fill("#f-password", "buyer password 1");
  await Promise.all([page.waitForURL(/\/dashboard\/brand$/), page.click("button[type=submit]")]);
  expect(await page.locator(".usermenu .who").textContent()).toBe("buyer@acme.example");
  await page.screenshot({ path: join(SHOTS, "brand-overview.png"), fullPage: true });
  // The same invite link again: already used.
  const again = await page.goto(app.url + new URL(inviteUrl).pathname);
  expect(again?.status()).toBe(410);
  // A brand user on an admin page: refused.
  const refused = await page.goto(`${app.url}/admin/users`);
  expect(refused?.status()).toBe(403);
  const cookies = await browser.context.cookies(app.url);
  expect(cookies.find((c) => c.name === "lc_session")).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
}, 120_000);
