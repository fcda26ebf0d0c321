import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { loadConfig } from "../../src/config";
import { seedDemo, type DemoInfo } from "../../src/demo";
import { serve, type Running } from "../../src/main";
import { launchBrowser } from "../helpers/browser";

// The console tour: the demo network with some activity (clicks, sales, an approval, a
// reversal); each role signs in through the form and opens every link of its navigation,
// on a desktop and on a phone. Every page answers 200, logs no error in the browser, is
// no wider than a phone screen, marks its nav link current, and is saved as a screenshot
// for a person to look at (test/browser/screenshots/tour-*.png, git-ignored).
const SHOTS = resolve(import.meta.dir, "screenshots");
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
let dir: string;
let app: Running;
let demo: DemoInfo;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "lastclick-tour-"));
  app = await serve(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off" }),
    { handleSignals: false, beforeListen: async (ctx) => { demo = await seedDemo(ctx); } });
  const keys = demo.keys!;
  const admin = { Authorization: `Bearer ${keys.adminToken}`, "Content-Type": "application/json" };
  // Activity through the public API, as a network would see it: a click on each link, a sale for each click.
  const ids: string[] = [];
  for (const [i, link] of demo.links.entries()) {
    const go = await fetch(link.url.replace(/^https?:\/\/[^/]+/, app.url), { redirect: "manual", headers: { "User-Agent": UA, Accept: "text/html", "Accept-Language": "en" } });
    const click = new URL(go.headers.get("location")!).searchParams.get("lc_click")!;
    const program = demo.programs.find((p) => p.name === link.program)!;
    const conv = await fetch(`${app.url}/api/conv`, { method: "POST", headers: { Authorization: `Bearer ${keys.liveKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ program_id: program.id, brand_order_ref: `TOUR-${i + 1}`, order_value: `${100 + i * 25}.00`, order_currency: "USD", lc_click: click }) });
    expect(conv.status).toBe(200);
    ids.push(((await conv.json()) as { conversion: { id: string } }).conversion.id);
  }
  for (const id of ids.slice(0, 3)) expect((await fetch(`${app.url}/api/admin/conversions/${id}/approve`, { method: "POST", headers: admin })).status).toBe(200);
  expect((await fetch(`${app.url}/api/admin/conversions/${ids[2]}/reverse`, { method: "POST", headers: admin, body: JSON.stringify({ reason: "Customer returned the order" }) })).status).toBe(200);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(page: Page, email: string, password: string, home: RegExp) {
  await page.goto(`${app.url}/login`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", password);
  await Promise.all([page.waitForURL(home), page.click("button[type=submit]")]);
}

const ROLES = [
  { role: "admin", home: /\/admin$/, minLinks: 20 },
  { role: "brand", home: /\/dashboard\/brand$/, minLinks: 6 },
  { role: "publisher", home: /\/dashboard\/publisher$/, minLinks: 9 },
] as const;

for (const { role, home, minLinks } of ROLES) {
  test(`${role}: every nav link opens a finished page on a desktop and a phone`, async () => {
    const user = demo.users.find((u) => u.role === role)!;
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()} (${m.location().url})`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("response", (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, user.email, user.password, home);

    const links = await page.$$eval("nav.mainnav a", (as) => as.map((a) => ({ href: a.getAttribute("href")!, label: a.textContent!.trim() })));
    expect(links.length).toBeGreaterThanOrEqual(minLinks);
    // One navigation for both screens (a link's text is on the page once, so a text selector finds the visible one).
    expect(await page.locator("nav[aria-label=Main]").count()).toBe(1);

    for (const { href, label } of links) {
      const name = `tour-${role}${href.replace(/\//g, "-")}`;
      await page.setViewportSize({ width: 1280, height: 800 });
      const res = await page.goto(app.url + href);
      expect(`${href} ${res?.status()}`).toBe(`${href} 200`);
      expect(await page.locator("nav.mainnav a[aria-current=page]").textContent()).toBe(label);
      expect((await page.locator("#main h1").first().textContent())?.trim().length).toBeGreaterThan(0);
      expect(await page.locator("nav.mainnav").isVisible()).toBe(true);
      expect(await page.locator("details.navmenu").isVisible()).toBe(false);
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

      await page.setViewportSize({ width: 390, height: 844 });
      // On a phone: no side nav, the menu button instead, and nothing wider than the screen
      // (wide tables scroll inside their own box).
      expect(await page.locator("nav.mainnav").isVisible()).toBe(false);
      expect(await page.locator("details.navmenu summary").getAttribute("data-current")).toBe(label);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(`${href} ${width}`).toBe(`${href} 390`);
      await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
      expect(problems).toEqual([]);
    }

    // The phone menu works from the keyboard: focus the summary, open it, the current page is marked.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(app.url + links[1]!.href);
    await page.focus("details.navmenu summary");
    await page.keyboard.press("Enter");
    expect(await page.locator("nav.mainnav").isVisible()).toBe(true);
    expect(await page.locator("nav.mainnav a[aria-current=page]").textContent()).toBe(links[1]!.label);
    await page.screenshot({ path: join(SHOTS, `tour-${role}-phone-menu.png`) });
    await Promise.all([page.waitForURL(new RegExp(`${links[0]!.href}$`)), page.click(`nav.mainnav a[href="${links[0]!.href}"]`)]);
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);
}
