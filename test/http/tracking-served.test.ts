import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdminToken } from "../../src/network/admin-tokens";
import { buildApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";

// The listening server answers /go and /api/v with Bun routes in front of the
// app (the hot path); tests elsewhere go through the app's own Elysia routes.
// Both must give the same answers, request for request.
let dir: string;
let app: Running;
let elysia: ReturnType<typeof buildApp>;
let slug: string;
let token: string;

async function call(path: string, json: unknown) {
  const res = await fetch(app.url + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(json) });
  return res.json() as Promise<any>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lastclick-served-"));
  app = await serve(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", PUBLIC_URL: "https://track.test" }), { handleSignals: false });
  elysia = buildApp(app.ctx);
  token = (await createAdminToken(app.ctx.db, "t")).token;
  const brand = await call("/api/admin/brands", { name: "B" });
  const program = await call("/api/admin/programs", { brand_id: brand.id, name: "P", dest_url: "https://shop.example/p?x=1#f", commission_type: "flat_cpa", commission_value: "1", currency: "USD", pass_through_params: true });
  const pub = await call("/api/admin/publishers", { name: "Pub", email: "p@x.example" });
  const approval = await call("/api/admin/approvals", { program_id: program.id, publisher_id: pub.id });
  slug = approval.slug;
  await call("/api/admin/vendor-links", { approval_id: approval.id, key: "vend-1" });
});
afterAll(async () => { await app.stop(); rmSync(dir, { recursive: true, force: true }); });

/** What a response says, minus the per-click id. */
async function shape(res: Response) {
  const strip = (s: string | null) => s?.replace(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>") ?? null;
  return {
    status: res.status, location: strip(res.headers.get("location")), cookie: strip(res.headers.get("set-cookie")),
    cacheControl: res.headers.get("cache-control"), contentType: res.headers.get("content-type"), body: strip(await res.text()),
  };
}

const UA = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130" };
const cases: [string, string, Record<string, string>][] = [
  ["GET", "/go/{slug}", UA],
  ["HEAD", "/go/{slug}", UA],
  ["GET", "/go/{slug}?sub1=email&utm_source=news&ref=FRIEND&lc_click=old", UA],
  ["GET", "/go/{slug}/", UA],
  ["GET", "/go/doesnotexist123", UA],
  ["GET", "/go/%3Cscript%3E", UA],
  ["GET", `/go/${"a".repeat(100)}`, UA],
  ["POST", "/go/{slug}", UA],
  ["GET", "/api/v/vend-1?s=sub%20123", UA],
  ["GET", "/api/v/nope?s=1", UA],
  ["GET", "/go/{slug}", { "user-agent": "Slackbot-LinkExpanding 1.0" }],
];

for (const [method, pathTemplate, headers] of cases) {
  test(`${method} ${pathTemplate}: same answer served as through the app`, async () => {
    const path = pathTemplate.replace("{slug}", slug);
    const served = await fetch(app.url + path, { method, headers, redirect: "manual" });
    const handled = await elysia.handle(new Request(app.url + path, { method, headers }));
    expect(await shape(served)).toEqual(await shape(handled));
  });
}

test("a served click is stored with the socket peer's hash and the row the app would write", async () => {
  const res = await fetch(`${app.url}/go/${slug}?sub2=x`, { headers: UA, redirect: "manual" });
  const id = new URL(res.headers.get("location")!).searchParams.get("lc_click")!;
  await app.ctx.clicks.flush();
  const row = (await app.ctx.client.execute({ sql: "select * from clicks where id = ?", args: [id] })).rows[0]!;
  expect(row).toMatchObject({ sub2: "x", via: "link", is_bot: 0, user_agent: UA["user-agent"] });
  expect(row.ip_hash).toBeTruthy();
});
