import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { FakeClock } from "../../src/shared/clock";
import { launchBrowser } from "../helpers/browser";
import { makeUser } from "../helpers/console";
import { NOV_1, OCT_10, octoberNetwork } from "../helpers/settlement";
import { startNetwork } from "../helpers/tour";

// A person in a real browser: the admin closes October through the form, sees the payouts
// and marks one paid; the brand downloads its invoice; the publisher sees its payout and
// downloads its statement. Screenshots (desktop and phone) in test/browser/screenshots/.
const SHOTS = resolve(import.meta.dir, "screenshots");
let dir: string;
let base = "";
let close: () => Promise<void>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let net: Awaited<ReturnType<typeof octoberNetwork>>;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "lastclick-settle-browser-"));
  const clock = new FakeClock(OCT_10);
  const network = await startNetwork(dir, clock);
  const t = network.t;
  base = network.base;
  net = await octoberNetwork(t);
  await makeUser(t, "ops@network.example", "admin");
  await makeUser(t, "billing@acme.example", "brand", { brand_id: net.acme.id });
  await makeUser(t, "alpha-user@pub.example", "publisher", { publisher_id: net.alpha.id });
  clock.set(NOV_1);
  close = network.close;
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(page: Page, email: string, landing: RegExp) {
  await page.goto(`${base}/login`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", "correct horse battery");
  await Promise.all([page.waitForURL(landing), page.click("button[type=submit]")]);
}
async function signOut(page: Page) {
  await page.click(".usermenu summary");
  await Promise.all([page.waitForURL(/\/login$/), page.click("text=Sign out")]);
}
/** Desktop and phone-width screenshots of the current page. */
async function shoot(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}
async function download(page: Page, selector: string, name: string) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = join(SHOTS, name);
  await d.saveAs(path);
  return path;
}

test("admin closes October, sees payouts, marks one paid; brand downloads its invoice; publisher sees its payout and statement", async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, "ops@network.example", /\/admin$/);

  await page.click("nav.mainnav >> text=Settlement");
  await shoot(page, "settlement-empty");
  await page.fill("#f-period", "2026-12");
  await page.click("text=Close period");
  expect(await page.locator("#f-period-err").textContent()).toContain("has not ended yet");
  await page.fill("#f-period", "2026-10");
  await page.click("text=Close period");
  expect(await page.locator("#close-result h2").textContent()).toBe("Closed 2026-10");
  await shoot(page, "settlement-closed");

  await page.click("#close-result >> text=Payouts of 2026-10");
  expect(await page.locator("#payouts tbody tr").count()).toBe(3);
  await shoot(page, "payouts");
  await page.check(`#payouts tbody tr:has-text("Ålpha Blog") input[type=checkbox]`);
  await page.fill("#f-reference", "PP-BATCH-2026-10");
  await page.click("text=Mark paid");
  expect(await page.locator(".flash-ok").textContent()).toContain("1 marked paid");
  expect(await page.locator(`#payouts tbody tr:has-text("Ålpha Blog") .badge`).textContent()).toBe("paid");
  await page.click(`#payouts tbody tr:has-text("Ålpha Blog") >> text=Ålpha Blog`);
  expect(await page.locator("h1").textContent()).toContain("Payout 2026-10");
  await shoot(page, "payout-detail");

  await page.click("nav.mainnav >> text=Invoices");
  await shoot(page, "invoices");
  await page.click("#invoices tbody tr >> nth=0 >> a >> nth=0");
  await shoot(page, "invoice-detail");

  await page.click("nav.mainnav >> text=Reconciliation");
  await page.selectOption("#f-integration_id", net.integrationId);
  await page.fill("#f-period", "2026-10");
  await page.setInputFiles("#f-file", { name: "refersion-october.csv", mimeType: "text/csv", buffer: Buffer.from("order_id,amount,commission,currency,status\nA-1001,250.00,100.00,USD,approved\nA-1002,260.00,100.00,USD,approved\nZ-77,40.00,4.00,USD,approved\n") });
  await page.click("button:has-text('Reconcile')");
  expect(await page.locator("h1").textContent()).toBe("Report 2026-10");
  await shoot(page, "reconciliation-report");
  await page.click("text=Reconciliation >> nth=0");
  await shoot(page, "reconciliation");
  await signOut(page);

  await signIn(page, "billing@acme.example", /\/dashboard\/brand$/);
  await page.click("nav.mainnav >> text=Invoices");
  await shoot(page, "brand-invoices");
  const invoice = await download(page, "#invoices tbody tr >> nth=0 >> text=PDF", "invoice.pdf");
  expect(Bun.file(invoice).size).toBeGreaterThan(1000);
  await signOut(page);

  await signIn(page, "alpha-user@pub.example", /\/dashboard\/publisher$/);
  await page.click("nav.mainnav >> text=Payouts");
  expect(await page.locator("#publisher-payouts tbody tr").count()).toBe(1);
  expect(await page.locator("#publisher-payouts .badge").textContent()).toBe("paid");
  await shoot(page, "publisher-payouts");
  const statement = await download(page, "#publisher-payouts >> text=PDF", "statement.pdf");
  expect(new TextDecoder().decode(new Uint8Array(await Bun.file(statement).arrayBuffer()).slice(0, 5))).toBe("%PDF-");
}, 120_000);
