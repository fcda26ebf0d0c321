import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { FakeClock } from "../../src/shared/clock";
import { launchBrowser } from "../helpers/browser";
import { makeUser } from "../helpers/console";
import { OCT_10, octoberNetwork } from "../helpers/settlement";
import { signIn, startNetwork, watchedPage, type Network } from "../helpers/tour";

// Keyboard use, one page of each role with the most controls (filters, bulk bar, row
// checkboxes, signal badges; the link builder): Tab from the top reaches the skip link
// first and then every control, each with a visible focus ring; the skip link moves the
// focus to the content; Escape closes the account menu and, on a phone, the nav menu.
let dir = "";
let full: Network;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lastclick-keyboard-"));
  full = await startNetwork(dir, new FakeClock(OCT_10));
  const net = await octoberNetwork(full.t);
  await makeUser(full.t, "ops@network.example", "admin");
  await makeUser(full.t, "billing@acme.example", "brand", { brand_id: net.acme.id });
  await makeUser(full.t, "alpha-user@pub.example", "publisher", { publisher_id: net.alpha.id });
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await full?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Where the focus is: a short description, whether it shows a ring (outline or box-shadow), and whether it is on screen. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    id: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}[${(el.getAttribute("aria-label") ?? el.textContent ?? (el as HTMLInputElement).name ?? "").trim().slice(0, 40)}]`,
    ring: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none",
    visible: r.width > 0 && r.height > 0,
    key: el.dataset.tabKey ?? "",
  };
});

const KEYBOARD_PAGES = { admin: "/admin/conversions", brand: "/dashboard/brand/conversions", publisher: "/dashboard/publisher/links" } as const;

for (const role of ["admin", "brand", "publisher"] as const) {
  test(`${role}: the keyboard reaches every control of ${KEYBOARD_PAGES[role]} with a visible focus ring; Escape closes the menus`, async () => {
    const { page, problems } = await watchedPage(browser.context);
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, full.base, role);
    await page.goto(full.base + KEYBOARD_PAGES[role]);
    // Every control a person could use, marked so the walk can tick them off.
    const controls = await page.evaluate(() => {
      const all = [...document.querySelectorAll<HTMLElement>("a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex='0']")]
        .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && !el.closest("[inert], details:not([open]) > :not(summary)"); });
      all.forEach((el, i) => { el.dataset.tabKey = String(i); });
      return all.length;
    });
    expect(controls).toBeGreaterThan(5);
    await page.keyboard.press("Tab");
    const first = await focused(page);
    expect(first?.id).toBe("a[Skip to content]");
    expect(first?.ring).toBe(true);
    const reached = new Set<string>([first!.key]);
    const noRing: string[] = [];
    for (let i = 0; i < controls * 2 + 10; i++) {
      await page.keyboard.press("Tab");
      const f = await focused(page);
      if (!f) break; // past the last control
      if (f.key === first!.key) break;
      if (f.visible && !f.ring) noRing.push(f.id);
      if (f.key) reached.add(f.key);
    }
    expect(noRing).toEqual([]);
    const missed = await page.evaluate((keys) => [...document.querySelectorAll<HTMLElement>("[data-tab-key]")].filter((el) => !keys.includes(el.dataset.tabKey!)).map((el) => `${el.tagName} ${el.textContent?.trim().slice(0, 30) ?? ""}`), [...reached]);
    expect(missed).toEqual([]);

    // The skip link moves the focus to the page's content.
    await page.keyboard.press("Escape");
    await page.goto(full.base + KEYBOARD_PAGES[role]);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    // The account menu opens from the keyboard and Escape closes it, focus back on its button.
    await page.focus("details.usermenu summary");
    await page.keyboard.press("Enter");
    expect(await page.locator("details.usermenu .menu").isVisible()).toBe(true);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Escape");
    expect(await page.locator("details.usermenu .menu").isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.closest("details")?.className)).toBe("usermenu");
    // On a phone the navigation menu does the same.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.focus("details.navmenu summary");
    await page.keyboard.press("Enter");
    expect(await page.locator("nav.mainnav").isVisible()).toBe(true);
    await page.keyboard.press("Escape");
    expect(await page.locator("nav.mainnav").isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
}
