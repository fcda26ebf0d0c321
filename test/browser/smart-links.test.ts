import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdminToken } from "../../src/network/admin-tokens";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";
import { launchBrowser } from "../helpers/browser";
import { SIGNALS } from "../helpers/smartlinks";

// A reader on a match page: the affiliate disclosure comes before any link,
// picking the third match goes through /go/m and the sale is credited at the
// smart links' flat commission. Screenshots go to SCREENSHOT_DIR when set.
let dir: string;
let app: Running;
let shop: ReturnType<typeof Bun.serve>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let token = "", liveKey = "", code = "", publisherId = "";
const programs: Record<string, string> = {};

async function call(method: string, path: string, json: unknown, key = token) {
  const res = await fetch(app.url + path, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(json) });
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lastclick-browser-smart-"));
  app = await serve(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off" }), { handleSignals: false });
  shop = Bun.serve({
    port: 0, hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname.startsWith("/landing/")) {
        const program = url.pathname.split("/")[2]!;
        return new Response(`<!doctype html><title>Shop</title><h1 id="shop">${program}</h1>
<form method="post" action="/checkout/${program}"><input type="hidden" name="lc_click" value="${url.searchParams.get("lc_click") ?? ""}">
<button id="buy">Buy for $120.00</button></form>`, { headers: { "content-type": "text/html" } });
      }
      if (url.pathname.startsWith("/checkout/")) {
        const program = url.pathname.split("/")[2]!;
        const form = await req.formData();
        const j = await call("POST", "/api/conv", { program_id: programs[program], brand_order_ref: "WEB-SMART-1", order_value: "120.00", order_currency: "USD", lc_click: form.get("lc_click") }, liveKey);
        return new Response(`<!doctype html><title>Thanks</title><p id="result">${j.status} ${j.conversion.publisher_id} ${j.conversion.commission}</p>`, { headers: { "content-type": "text/html" } });
      }
      return new Response("not found", { status: 404 });
    },
  });
  token = (await createAdminToken(app.ctx.db, "browser")).token;
  const brand = await call("POST", "/api/admin/brands", { name: "Northwind Outdoor" });
  liveKey = (await call("POST", `/api/admin/brands/${brand.id}/api-keys`, { mode: "live" })).key;
  const make = async (key: string, name: string, attributes: unknown, pct: string) =>
    (programs[key] = (await call("POST", "/api/admin/programs", { brand_id: brand.id, name, dest_url: `http://127.0.0.1:${shop.port}/landing/${key}`, commission_type: "percentage", commission_value: pct, currency: "USD", attributes })).id);
  await make("alpine", "Alpine Tents", { category: "tents", countries: ["DE", "AT", "CH"] }, "5");
  await make("ridge", "Ridgeline Shelters", { category: ["tents", "tarps"] }, "25");
  await make("budget", "Budget Camp", { category: "tents" }, "40");
  await call("PUT", "/api/admin/rubric", {
    threshold: 70, flat_commission: { amount: "6.00", currency: "USD" },
    signals: SIGNALS.map((s) => ({ ...s, description: s.description ?? "Response times, languages, resolution rate" })),
  });
  await call("PUT", `/api/admin/programs/${programs.alpine}/scores`, { scores: { quality: 0.95, service: 0.9, shipping: 0.8 }, note: "Lab-tested 2026-10" });
  await call("PUT", `/api/admin/programs/${programs.ridge}/scores`, { scores: { quality: 0.8, service: 0.7, shipping: 0.9 } });
  await call("PUT", `/api/admin/programs/${programs.budget}/scores`, { scores: { quality: 0.7, service: 0.7, shipping: 0.7 }, note: "Thin walls in the wind test" });
  publisherId = (await call("POST", "/api/admin/publishers", { name: "Camp Blog", email: "camp@blog.example" })).id;
  for (const key of ["alpine", "ridge", "budget"]) await call("POST", "/api/admin/approvals", { program_id: programs[key], publisher_id: publisherId });
  code = (await call("POST", "/api/admin/smart-links", { criteria: { category: "tents" }, publisher_id: publisherId, code: "best-tents" })).code;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  shop?.stop(true);
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const shots = process.env.SCREENSHOT_DIR ?? null;
if (shots) mkdirSync(shots, { recursive: true });

test("the match page shows the disclosure before any link; the reader's pick is credited at the flat commission", async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(`${app.url}/m/${code}`);
  const order = await page.evaluate(() => {
    const disclosure = document.querySelector("[data-disclosure]");
    const firstLink = document.querySelector("a[href^='/go/']");
    return {
      hasBoth: !!disclosure && !!firstLink,
      disclosureFirst: !!disclosure && !!firstLink && (disclosure.compareDocumentPosition(firstLink) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
      above: disclosure && firstLink ? disclosure.getBoundingClientRect().bottom <= firstLink.getBoundingClientRect().top : false,
      names: [...document.querySelectorAll("li.match strong")].map((e) => e.textContent),
    };
  });
  expect(order).toEqual({ hasBoth: true, disclosureFirst: true, above: true, names: ["Alpine Tents", "Ridgeline Shelters", "Budget Camp"] });
  await expect(page.locator("[data-disclosure]").isVisible()).resolves.toBe(true);
  if (shots) await page.screenshot({ path: join(shots, "match-page.png"), fullPage: true });

  await page.click("li.match:nth-child(3) a.go");
  await page.waitForSelector("#shop");
  expect(await page.textContent("#shop")).toBe("budget");
  await page.click("#buy");
  await page.waitForSelector("#result");
  // Budget Camp's own terms would be 40% of 120 = 48.00; the smart link pays every program the same 6.00
  expect(await page.textContent("#result")).toBe(`created ${publisherId} 6.00`);
  await page.close();
}, 60_000);

test("the rubric page renders signals, scores and breakdowns", async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(`${app.url}/rubric`);
  expect(await page.textContent("h1")).toBe("How smart links rank programs");
  expect(await page.locator("tr[data-program]").count()).toBe(3);
  await page.locator("tr[data-program] details summary").first().click();
  expect(await page.locator("tr[data-program] details[open] tr[data-part]").count()).toBe(3);
  if (shots) await page.screenshot({ path: join(shots, "rubric.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${app.url}/m/${code}`);
  if (shots) await page.screenshot({ path: join(shots, "match-phone.png"), fullPage: true });
  await page.close();
}, 60_000);

test("on a 390px phone nothing is wider than the screen or hidden, even with long names and notes", async () => {
  const brand = await call("POST", "/api/admin/brands", { name: "Bergsportausrüstungsgroßhandelsgesellschaft Süd" });
  const long = await call("POST", "/api/admin/programs", {
    brand_id: brand.id, name: "Wanderlust Expeditionsausrüstung und Hochgebirgszelte Premium Partnerprogramm", dest_url: `http://127.0.0.1:${shop.port}/landing/long`,
    commission_type: "percentage", commission_value: "10", currency: "USD",
    attributes: { category: ["tents", "mountaineering-equipment-and-accessories"], countries: ["DE", "AT", "CH", "FR", "IT", "NL", "BE", "LU", "PL", "CZ"] },
  });
  await call("PUT", `/api/admin/programs/${long.id}/scores`, { scores: { quality: 0.75, service: 0.75, shipping: 0.75 }, note: "Averyveryverylongunbrokenwordthatcouldoverflowthecellonaphone and a long note." });
  await call("POST", "/api/admin/approvals", { program_id: long.id, publisher_id: publisherId });
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  const measure = () => page.evaluate(() => ({
    pageWidth: document.documentElement.scrollWidth,
    offscreen: [...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > 390.5).map((e) => e.tagName + "." + e.className),
  }));
  await page.goto(`${app.url}/rubric?phone`); // /rubric is cacheable for 60 s: this context saw it before the new program
  await page.locator("tr[data-program] details summary").first().click();
  expect(await measure()).toEqual({ pageWidth: 390, offscreen: [] });
  // every column is still there on the phone: the date and note of each score
  expect(await page.locator("td.scored").evaluateAll((cells) => cells.map((c) => (c as HTMLElement).offsetHeight > 0))).toEqual([true, true, true, true]);
  if (shots) await page.screenshot({ path: join(shots, "rubric-phone.png"), fullPage: true });
  await page.goto(`${app.url}/m/${code}`);
  expect(await page.locator("li.match").count()).toBe(4);
  expect(await measure()).toEqual({ pageWidth: 390, offscreen: [] });
  if (shots) await page.screenshot({ path: join(shots, "match-phone-long.png"), fullPage: true });
  await page.close();
}, 60_000);
