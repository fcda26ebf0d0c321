import type { BrowserContext, Page } from "playwright-core";
import { join } from "node:path";
import { buildApp } from "../../src/app";
import { boot } from "../../src/boot";
import { loadConfig } from "../../src/config";
import { createAdminToken } from "../../src/network/admin-tokens";
import type { FakeClock } from "../../src/shared/clock";
import type { TestApp } from "./app";

// Shared by the browser tours (console-details-tour, console-keyboard): a real server per
// network, the users they sign in as, and what a page is checked for.
export const PASSWORD = "correct horse battery";

export interface Network { base: string; t: TestApp; close(): Promise<void>; breakDatabase(): void }

/** An app on a real port over its own libSQL file, with the API factories bound to it. */
export async function startNetwork(dir: string, clock: FakeClock): Promise<Network> {
  const { ctx, database } = await boot(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PUBLIC_URL: "http://127.0.0.1", SCHEDULER: "off" }), { clock, geoBytes: null });
  const app = buildApp(ctx);
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => app.handle(req) });
  const base = `http://127.0.0.1:${server.port}`;
  const { token } = await createAdminToken(ctx.db, "seed", clock.now());
  const t = {
    adminToken: token,
    request(path: string, init: RequestInit & { json?: unknown; token?: string } = {}) {
      const headers = new Headers(init.headers);
      if (init.token) headers.set("authorization", `Bearer ${init.token}`);
      let body = init.body;
      if (init.json !== undefined) { headers.set("content-type", "application/json"); body = JSON.stringify(init.json); }
      return app.handle(new Request(base + path, { ...init, headers, body }));
    },
  } as unknown as TestApp;
  let closed = false;
  return {
    base, t,
    breakDatabase() { database.close(); closed = true; },
    async close() { server.stop(true); await ctx.clicks.close().catch(() => undefined); if (!closed) database.close(); },
  };
}

export const USERS = { admin: "ops@network.example", brand: "billing@acme.example", publisher: "alpha-user@pub.example" } as const;
export const HOMES = { admin: /\/admin$/, brand: /\/dashboard\/brand$/, publisher: /\/dashboard\/publisher$/ } as const;
export type Role = keyof typeof USERS;

/** A page that records every browser-side problem: console errors, page errors, failed sub-requests. */
export async function watchedPage(context: BrowserContext, allow: RegExp | null = null) {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => { if (m.type() === "error" && !(allow && allow.test(m.location().url))) problems.push(`console: ${m.text()} (${m.location().url})`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400 && !(allow && allow.test(r.url()))) problems.push(`${r.status()} ${r.url()}`); });
  return { page, problems };
}

export async function signIn(page: Page, base: string, role: Role) {
  await page.goto(`${base}/login`);
  await page.fill("#f-email", USERS[role]);
  await page.fill("#f-password", PASSWORD);
  await Promise.all([page.waitForURL(HOMES[role]), page.click("button[type=submit]")]);
}

export const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
/** Tables wider than their box (the box then scrolls sideways): "caption: table px > box px". */
export const wideTables = (page: Page) => page.evaluate(() => [...document.querySelectorAll<HTMLElement>(".table-wrap")]
  .filter((w) => w.scrollWidth > w.clientWidth + 1)
  .map((w) => `${w.querySelector("caption")?.textContent ?? w.closest("section")?.id ?? "table"}: ${w.scrollWidth} > ${w.clientWidth}`));

/** Controls a person cannot name: fields without a label, links and buttons without words. */
export const unnamed = (page: Page) => page.evaluate(() => {
  const visible = (el: HTMLElement) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const named = (el: HTMLElement) => !!(el.getAttribute("aria-label")?.trim() || el.getAttribute("aria-labelledby") || el.getAttribute("title")?.trim());
  const fields = [...document.querySelectorAll<HTMLInputElement>("input:not([type=hidden]), select, textarea")]
    .filter((el) => visible(el) && !named(el) && !el.closest("label") && !(el.id && document.querySelector(`label[for="${el.id}"]`)));
  const words = [...document.querySelectorAll<HTMLElement>("a[href], button, summary")]
    .filter((el) => visible(el) && !named(el) && !el.textContent?.trim());
  return [...fields, ...words].map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}[name=${el.getAttribute("name") ?? ""}]`);
});
