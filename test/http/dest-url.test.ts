import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, approve, click, makeBrand, makeProgram, makePublisher } from "../helpers/factories";

// Destination URLs are stored, shown and redirected to in their canonical (WHATWG) form;
// what cannot be a Location header is refused on write, and old rows answer a page, not a 500.
let t: TestApp;
let brand: Awaited<ReturnType<typeof makeBrand>>;
let publisherId: string;
beforeAll(async () => { t = await makeTestApp(); brand = await makeBrand(t); publisherId = (await makePublisher(t)).id; });
afterAll(() => t.close());

const send = (method: string, path: string, json: unknown) => t.request(path, { method, json, token: t.adminToken });
const count = async (sql: string) => Number((await t.ctx.client.execute(sql)).rows[0]![0]);
const programBody = (dest_url: string) => ({ brand_id: brand.id, name: "P", dest_url, commission_type: "percentage", commission_value: "5", currency: "USD" });

const REFUSED: [string, string, string][] = [
  ["CR LF (header injection)", "https://shop.example/a\r\nSet-Cookie: x=1", "control characters"],
  ["a bare LF", "https://shop.example/a\nb", "control characters"],
  ["a TAB", "https://shop.example/\tb", "control characters"],
  ["a NUL", "https://shop.example/\u0000", "control characters"],
  ["a C1 control", "https://shop.example/\u0085", "control characters"],
  ["user and password", "https://user:pass@shop.example/", "user name or password"],
  ["a user name alone", "https://user@shop.example/", "user name or password"],
  ["a password alone", "https://:pw@shop.example/", "user name or password"],
  ["an ideographic space in the host", "https://shop\u3000example.com/", "absolute http"],
  ["javascript:", "javascript:alert(1)", "absolute http"],
  ["no host", "https://", "absolute http"],
];

const CANONICAL: [string, string, string][] = [
  ["scheme without slashes", "https:evil.example", "https://evil.example/"],
  ["backslashes", "https:\\\\evil.example\\a\\b", "https://evil.example/a/b"],
  ["full-width host and path", "https://ｓｈｏｐ.example/ｐ?ｑ=１", "https://shop.example/%EF%BD%90?%EF%BD%91=%EF%BC%91"],
  ["IDN host to punycode", "https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"],
  ["upper case, default port, dot segments, space", "HTTPS://SHOP.EXAMPLE:443/a/../b?x=a b", "https://shop.example/b?x=a%20b"],
  ["already canonical is kept byte for byte", "https://shop.example/p?q=a%20b+c&e=%E2%9C%93#top", "https://shop.example/p?q=a%20b+c&e=%E2%9C%93#top"],
];

describe("program dest_url on create", () => {
  for (const [name, url, message] of REFUSED) {
    test(`refuses ${name} with 422 on dest_url; stores nothing`, async () => {
      const before = await count("select count(*) from programs");
      const res = await send("POST", "/api/admin/programs", programBody(url));
      expect(res.status).toBe(422);
      expect((await res.json()).error.fields.dest_url.join(" ")).toContain(message);
      expect(await count("select count(*) from programs")).toBe(before);
    });
  }
  for (const [name, url, canonical] of CANONICAL) {
    test(`${name}: stored, answered and redirected to as ${canonical}`, async () => {
      const res = await send("POST", "/api/admin/programs", programBody(url));
      expect(res.status).toBe(201);
      const program = await res.json();
      expect(program.dest_url).toBe(canonical);
      expect((await api(t, "GET", `/api/admin/programs/${program.id}`)).dest_url).toBe(canonical);
      const link = await approve(t, program.id, publisherId);
      const { location, clickId } = await click(t, `/go/${link.slug}`);
      const hashAt = canonical.indexOf("#");
      const [base, fragment] = hashAt < 0 ? [canonical, ""] : [canonical.slice(0, hashAt), canonical.slice(hashAt)];
      expect(location).toBe(`${base}${base.includes("?") ? "&" : "?"}lc_click=${clickId}${fragment}`);
    });
  }
});

describe("program dest_url on update", () => {
  test("a bad URL is refused and the old one stays; a non-canonical one is stored canonical", async () => {
    const program = await makeProgram(t, brand.id, { dest_url: "https://shop.example/ok" });
    for (const [, url] of REFUSED) {
      expect((await send("PATCH", `/api/admin/programs/${program.id}`, { dest_url: url })).status).toBe(422);
    }
    expect((await api(t, "GET", `/api/admin/programs/${program.id}`)).dest_url).toBe("https://shop.example/ok");
    const changed = await api(t, "PATCH", `/api/admin/programs/${program.id}`, { dest_url: "https:\\\\shop.example\\new" });
    expect(changed.dest_url).toBe("https://shop.example/new");
  });
});

describe("rows stored before validation", () => {
  const store = (programId: string, url: string) => t.ctx.client.execute({ sql: "update programs set dest_url = ? where id = ?", args: [url, programId] });

  for (const [name, url] of [["CR LF", "https://shop.example/a\r\nb"], ["TAB", "https://shop.example/\tb"], ["credentials", "https://u:p@shop.example/"], ["not a URL", "not a url"]] as const) {
    test(`${name}: every click (link and vendor link) answers a 502 page, records nothing, never a 500`, async () => {
      const program = await makeProgram(t, brand.id);
      const link = await approve(t, program.id, publisherId);
      await api(t, "POST", "/api/admin/vendor-links", { approval_id: link.id, key: `v-${program.id.slice(-8)}` });
      await store(program.id, url);
      t.ctx.links.invalidate();
      await t.ctx.clicks.flush();
      const before = await count("select count(*) from clicks");
      for (const path of [`/go/${link.slug}`, `/api/v/v-${program.id.slice(-8)}?s=1`]) {
        const res = await t.request(path, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130" } });
        expect(res.status).toBe(502);
        expect(res.headers.get("location")).toBeNull();
        expect(res.headers.get("content-type")).toContain("text/html");
        expect(await res.text()).toContain("not a valid web address");
      }
      await t.ctx.clicks.flush();
      expect(await count("select count(*) from clicks")).toBe(before);
    });
  }

  test("a non-canonical old row is redirected to its canonical form", async () => {
    const program = await makeProgram(t, brand.id);
    const link = await approve(t, program.id, publisherId);
    await store(program.id, "https://ｓｈｏｐ.example/ｐ");
    t.ctx.links.invalidate();
    const { location, clickId } = await click(t, `/go/${link.slug}`);
    expect(location).toBe(`https://shop.example/%EF%BD%90?lc_click=${clickId}`);
  });
});

describe("publisher postback URLs", () => {
  test.each([
    ["credentials", "https://user:pass@pub.example/pb?c={click_id}", "user name or password"],
    ["backslashes", "https:\\\\pub.example\\pb?c={click_id}", "backslashes"],
    ["CR LF", "https://pub.example/pb?c={click_id}\r\nX: y", "control characters"],
  ])("refuses %s with 422 on url; stores nothing", async (_n, url, message) => {
    const before = await count("select count(*) from publisher_postbacks");
    const res = await send("POST", `/api/admin/publishers/${publisherId}/postbacks`, { url });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.url.join(" ")).toContain(message);
    expect(await count("select count(*) from publisher_postbacks")).toBe(before);
  });
});
