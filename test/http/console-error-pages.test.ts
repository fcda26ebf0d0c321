import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { putNetworkSettings } from "../../src/settings/network-settings";
import { makeTestApp, type TestApp } from "../helpers/app";
import { form, FORM, login, makeUser } from "../helpers/console";
import { api, makePublisher } from "../helpers/factories";

// What a person's browser gets when something is not there or goes wrong, and the public
// forms opened by someone who is already signed in (an admin trying an invite link).
let t: TestApp;
const HTML = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

beforeAll(async () => {
  t = await makeTestApp();
  await makeUser(t, "admin@net.example", "admin");
});
afterAll(() => t.close());

describe("unknown addresses", () => {
  test("a browser gets a styled 404 page with a way back; API clients and non-browsers keep the JSON", async () => {
    const page = await t.request("/no/such/page", { headers: { ...HTML, referer: "http://track.test/admin/programs?status=active" } });
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('<link rel="stylesheet" href="/public/app.css">');
    expect(html).toContain("<h1>Page not found</h1>");
    expect(html).toMatch(/<p class="network">[^<]+<\/p>/); // under the network's name, like the console's own pages
    expect(html).toContain('href="/admin/programs?status=active">Back to the previous page');
    expect(html).toContain('href="/login"');

    const api404 = await t.request("/api/no/such/route", { headers: HTML });
    expect(api404.status).toBe(404);
    expect((await api404.json()).error.code).toBe("not_found");
    const curl = await t.request("/no/such/page");
    expect(curl.headers.get("content-type")).toContain("application/json");
  });

  test("a referrer on another site is not offered as the way back", async () => {
    const html = await (await t.request("/no/such/page", { headers: { ...HTML, referer: "https://evil.example/phish" } })).text();
    expect(html).not.toContain("evil.example");
    expect(html).not.toContain("Back to the previous page");
  });

  test("an htmx request for an unknown address keeps the JSON (no whole page swapped into a fragment)", async () => {
    const res = await t.request("/no/such/page", { headers: { ...HTML, "hx-request": "true" } });
    expect(res.headers.get("content-type")).toContain("application/json");
  });
});

describe("public forms opened while signed in", () => {
  test("an invite link opened in a signed-in browser carries that session's CSRF token, so setting the password works", async () => {
    const { cookie } = await login(t, "admin@net.example");
    const pub = await makePublisher(t, "Trail Blog");
    const u = await api(t, "POST", "/api/admin/users", { email: "writer@trail.example", role: "publisher", publisher_id: pub.id });
    const path = new URL(u.invite_url).pathname;
    const page = await (await t.request(path, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeTruthy();
    const res = await t.request(path, { method: "POST", headers: { ...FORM, cookie }, body: form({ _csrf: csrf!, password: "long enough pass", confirm: "long enough pass" }) });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard/publisher");
    // Without the token a signed-in browser is still refused (the CSRF rule is unchanged).
    const admin = (await login(t, "admin@net.example")).cookie;
    const again = await api(t, "POST", "/api/admin/users", { email: "second@trail.example", role: "publisher", publisher_id: pub.id });
    const refused = await t.request(new URL(again.invite_url).pathname, { method: "POST", headers: { ...FORM, cookie: admin }, body: form({ password: "long enough pass", confirm: "long enough pass" }) });
    expect(refused.status).toBe(403);
  });

  test("the signup form carries the CSRF token of a signed-in browser too", async () => {
    await putNetworkSettings(t.ctx, { openSignup: true });
    try {
      const { cookie } = await login(t, "admin@net.example");
      const page = await (await t.request("/signup", { headers: { cookie } })).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
      expect(csrf).toBeTruthy();
      const res = await t.request("/signup", { method: "POST", headers: { ...FORM, cookie }, body: form({ _csrf: csrf!, name: "New Site", email: "new@site.example", password: "long enough pass", confirm: "long enough pass" }) });
      expect(res.status).toBe(303);
    } finally {
      await putNetworkSettings(t.ctx, { openSignup: false });
    }
  });
});
