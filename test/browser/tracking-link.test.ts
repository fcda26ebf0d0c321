import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdminToken } from "../../src/network/admin-tokens";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";
import { launchBrowser } from "../helpers/browser";

// A visitor in a real browser: tracking link -> brand landing page (a local
// "shop" with a checkout that reports the sale server-to-server) -> credited.
let dir: string;
let app: Running;
let shop: ReturnType<typeof Bun.serve>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let liveKey = "", programId = "", slug = "", publisherId = "";

async function admin(path: string, json: unknown, token: string) {
  const res = await fetch(app.url + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(json) });
  return res.json() as Promise<any>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lastclick-browser-"));
  app = await serve(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off" }), { handleSignals: false });
  // The brand's shop: the landing page keeps lc_click; checkout posts it back to Lastclick.
  shop = Bun.serve({
    port: 0, hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname === "/landing") {
        return new Response(`<!doctype html><title>Shop</title><h1>Tents</h1>
<form method="post" action="/checkout"><input type="hidden" name="lc_click" value="${url.searchParams.get("lc_click") ?? ""}">
<button id="buy">Buy for $120.00</button></form>`, { headers: { "content-type": "text/html" } });
      }
      if (url.pathname === "/checkout") {
        const form = await req.formData();
        const res = await fetch(`${app.url}/api/conv`, {
          method: "POST", headers: { authorization: `Bearer ${liveKey}`, "content-type": "application/json" },
          body: JSON.stringify({ program_id: programId, brand_order_ref: "WEB-1", order_value: "120.00", order_currency: "USD", lc_click: form.get("lc_click") }),
        });
        const j = (await res.json()) as any;
        return new Response(`<!doctype html><title>Thanks</title><p id="result">${j.status} ${j.conversion.publisher_id} ${j.conversion.commission}</p>`, { headers: { "content-type": "text/html" } });
      }
      return new Response("not found", { status: 404 });
    },
  });
  const { token } = await createAdminToken(app.ctx.db, "browser");
  const brand = await admin("/api/admin/brands", { name: "Shop" }, token);
  liveKey = (await admin(`/api/admin/brands/${brand.id}/api-keys`, { mode: "live" }, token)).key;
  programId = (await admin("/api/admin/programs", { brand_id: brand.id, name: "Tents", dest_url: `http://127.0.0.1:${shop.port}/landing?ref=aff#gallery`, commission_type: "percentage", commission_value: "5", currency: "USD" }, token)).id;
  publisherId = (await admin("/api/admin/publishers", { name: "Blog", email: "b@x.example" }, token)).id;
  slug = (await admin("/api/admin/approvals", { program_id: programId, publisher_id: publisherId }, token)).slug;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  shop?.stop(true);
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("click a tracking link, land on the shop with the click id, buy, publisher credited", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${app.url}/go/${slug}`);
  const landed = new URL(page.url());
  expect(landed.pathname).toBe("/landing");
  expect(landed.searchParams.get("ref")).toBe("aff");
  expect(landed.hash).toBe("#gallery");
  const clickId = landed.searchParams.get("lc_click")!;
  expect(clickId).toMatch(/^[0-9a-f-]{36}$/);
  const cookies = await browser.context.cookies(app.url);
  expect(cookies.find((c) => c.name === "lc_click")).toMatchObject({ value: clickId, httpOnly: true, secure: true, sameSite: "Lax" });
  await Promise.all([page.waitForURL(/\/checkout$/, { timeout: 45_000 }), page.click("#buy")]);
  expect(await page.locator("#result").textContent({ timeout: 15_000 })).toBe(`created ${publisherId} 6.00`);
}, 90_000);

test("an unknown link shows a clear page and goes nowhere", async () => {
  const page = await browser.context.newPage();
  const res = await page.goto(`${app.url}/go/not-a-real-link`);
  expect(res?.status()).toBe(404);
  expect(new URL(page.url()).pathname).toBe("/go/not-a-real-link");
  expect(await page.locator("h1").textContent()).toBe("Link not found");
  await page.screenshot({ path: join(dir, "404.png") });
}, 60_000);
