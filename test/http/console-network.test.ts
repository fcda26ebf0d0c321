import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { approvals, auditLog, fxRates, programs, publishers, settings } from "../../src/db/schema";
import { makeTestApp, type TestApp } from "../helpers/app";
import { csrfOf, form, FORM, login, makeUser } from "../helpers/console";
import { approve, makeBrand, makeProgram, makePublisher } from "../helpers/factories";

// Network pages through the real app and real sessions: admin programs / publishers / brands /
// applications / links / FX / settings, the publisher's marketplace, link builder and settings,
// the brand's programs; with the rejection paths (no session, wrong role, another party's id, CSRF).
let t: TestApp;
const s = { admin: "", brand: "", pub1: "", pub2: "" };
const csrf = { admin: "", brand: "", pub1: "", pub2: "" };
let brandA = "", brandB = "", progA = "", progB = "", pub1 = "", pub2 = "", linkPub2 = "";

beforeAll(async () => {
  t = await makeTestApp();
  brandA = (await makeBrand(t, "Acme")).id;
  brandB = (await makeBrand(t, "Rival <b>Co</b>")).id;
  progA = (await makeProgram(t, brandA, { name: "Acme Tents", attributes: { category: "outdoor", countries: ["US"] } })).id;
  progB = (await makeProgram(t, brandB, { name: "Rival Secret" })).id;
  pub1 = (await makePublisher(t, "Trail Blog")).id;
  pub2 = (await makePublisher(t, "Other Pub")).id;
  linkPub2 = (await approve(t, progA, pub2)).id;
  await approve(t, progB, pub2);
  await t.request(`/api/admin/publishers/${pub2}`, { method: "PATCH", token: t.adminToken, json: { payout_method: "PayPal", payout_details: { email: "secret-pay@other.example" } } });
  await makeUser(t, "admin@net.example", "admin");
  await makeUser(t, "brand@acme.example", "brand", { brand_id: brandA });
  await makeUser(t, "pub1@trail.example", "publisher", { publisher_id: pub1 });
  await makeUser(t, "pub2@other.example", "publisher", { publisher_id: pub2 });
  for (const [k, email, page] of [["admin", "admin@net.example", "/admin/programs"], ["brand", "brand@acme.example", "/dashboard/brand/programs"], ["pub1", "pub1@trail.example", "/dashboard/publisher/settings"], ["pub2", "pub2@other.example", "/dashboard/publisher/settings"]] as const) {
    s[k] = (await login(t, email)).cookie;
    csrf[k] = await csrfOf(t, s[k], page);
  }
}, 60_000);
afterAll(() => t.close());

const get = (path: string, who: keyof typeof s) => t.request(path, { headers: { cookie: s[who] } });
const post = (path: string, who: keyof typeof s, body: Record<string, string>, token = true) =>
  t.request(path, { method: "POST", headers: { ...FORM, cookie: s[who] }, body: form(token ? { _csrf: csrf[who], ...body } : body) });
const programCount = async () => (await t.ctx.db.select().from(programs)).length;

const ADMIN_PAGES = ["/admin/programs", "/admin/programs/new", "/admin/publishers", "/admin/brands", "/admin/applications", "/admin/links", "/admin/fx-rates", "/admin/settings"];
const PUBLISHER_PAGES = ["/dashboard/publisher/programs", "/dashboard/publisher/links", "/dashboard/publisher/settings"];
const BRAND_PAGES = ["/dashboard/brand/programs"];

describe("access", () => {
  test.each([...ADMIN_PAGES, ...PUBLISHER_PAGES, ...BRAND_PAGES])("%s without a session -> /login", async (path) => {
    const res = await t.request(path);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
  });
  test.each([
    ...ADMIN_PAGES.map((p) => [p, "pub1"] as const), ...ADMIN_PAGES.map((p) => [p, "brand"] as const),
    ...PUBLISHER_PAGES.map((p) => [p, "brand"] as const), ...PUBLISHER_PAGES.map((p) => [p, "admin"] as const),
    ...BRAND_PAGES.map((p) => [p, "pub1"] as const),
  ])("%s as %s -> 403", async (path, who) => {
    expect((await get(path, who)).status).toBe(403);
  });
  test.each([...ADMIN_PAGES.map((p) => [p, "admin"] as const), ...PUBLISHER_PAGES.map((p) => [p, "pub1"] as const), ...BRAND_PAGES.map((p) => [p, "brand"] as const)])("%s as %s -> 200 with nav", async (path, who) => {
    const res = await get(path, who);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('aria-current="page"');
  });
  test("a state change without the CSRF token is refused and changes nothing", async () => {
    const res = await post(`/admin/programs/${progA}/status`, "admin", { status: "paused" }, false);
    expect(res.status).toBe(403);
    expect((await t.ctx.db.select().from(programs).where(eq(programs.id, progA)))[0]!.status).toBe("active");
    const apply = await post(`/dashboard/publisher/programs/${progB}/apply`, "pub1", {}, false);
    expect(apply.status).toBe(403);
    expect(await t.ctx.db.select().from(approvals).where(and(eq(approvals.programId, progB), eq(approvals.publisherId, pub1)))).toHaveLength(0);
  });
});

describe("admin programs", () => {
  const valid = { brand_id: "", name: "Boots", dest_url: "https://Shop.EXAMPLE:443/boots?a=1#top", commission_type: "flat_cpa", commission_value: "15", currency: "USD", network_fee_pct: "20", cookie_window_days: "30", auto_approve_days: "14", pass_through_params: "on", category: "Outdoor", countries: "us, ca", devices: "mobile" };

  test("an invalid destination URL shows the field error and stores nothing", async () => {
    const before = await programCount();
    const res = await post("/admin/programs", "admin", { ...valid, brand_id: brandA, dest_url: "javascript:alert(1)" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/id="f-dest_url-err">[^<]*http/);
    expect(html).toContain('value="javascript:alert(1)"'); // the typed value is kept to fix
    expect(await programCount()).toBe(before);
  });

  test("credentials in the URL, a bad country and no brand: each error next to its field", async () => {
    const before = await programCount();
    const res = await post("/admin/programs", "admin", { ...valid, dest_url: "https://user:pw@shop.example/", countries: "USA" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("user name or password");
    expect(html).toMatch(/id="f-countries-err">[^<]*USA/);
    expect(html).toMatch(/id="f-brand_id-err"/);
    expect(await programCount()).toBe(before);
  });

  test("create through the form: the canonical destination is stored and shown back", async () => {
    const res = await post("/admin/programs", "admin", { ...valid, brand_id: brandA });
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/admin\/programs\/[\w-]+\?saved=1$/);
    const id = location.split("/")[3]!.split("?")[0]!;
    const [row] = await t.ctx.db.select().from(programs).where(eq(programs.id, id));
    expect(row).toMatchObject({ destUrl: "https://shop.example/boots?a=1#top", commissionValue: 1500, networkFeeBps: 2000, autoApproveDays: 14, passThroughParams: true });
    expect(JSON.parse(row!.attributes)).toEqual({ category: ["outdoor"], countries: ["CA", "US"], devices: ["mobile"] });
    const page = await (await get(location, "admin")).text();
    expect(page).toContain('id="saved-url"');
    expect(page).toContain("<code>https://shop.example/boots?a=1#top</code>");
  });

  test("the destination preview answers the canonical URL or the reason", async () => {
    const ok = await (await get(`/admin/programs/preview-url?dest_url=${encodeURIComponent("https://BÜCHER.example/a b")}`, "admin")).text();
    expect(ok).toContain("https://xn--bcher-kva.example/a%20b");
    const bad = await (await get(`/admin/programs/preview-url?dest_url=${encodeURIComponent("ftp://x.example")}`, "admin")).text();
    expect(bad).toContain("must be an absolute http:// or https:// URL");
    expect((await get("/admin/programs/preview-url?dest_url=x", "pub1")).status).toBe(403);
  });

  test("edit keeps other attributes, pause and resume", async () => {
    await t.request(`/api/admin/programs/${progA}`, { method: "PATCH", token: t.adminToken, json: { attributes: { category: "outdoor", season: "winter" } } });
    const res = await post(`/admin/programs/${progA}`, "admin", { ...valid, name: "Acme Tents 2", category: "camping", countries: "" });
    expect(res.status).toBe(303);
    const [row] = await t.ctx.db.select().from(programs).where(eq(programs.id, progA));
    expect(row!.name).toBe("Acme Tents 2");
    expect(JSON.parse(row!.attributes)).toEqual({ category: ["camping"], devices: ["mobile"], season: ["winter"] });
    expect((await post(`/admin/programs/${progA}/status`, "admin", { status: "paused" })).status).toBe(303);
    expect((await t.ctx.db.select().from(programs).where(eq(programs.id, progA)))[0]!.status).toBe("paused");
    expect((await post(`/admin/programs/${progA}/status`, "admin", { status: "active" })).status).toBe(303);
    expect((await t.ctx.db.select().from(programs).where(eq(programs.id, progA)))[0]!.status).toBe("active");
    expect((await get("/admin/programs/no-such-id", "admin")).status).toBe(404);
  });

  test("list filters by status, exports CSV with formula cells neutralised", async () => {
    await post(`/admin/programs/${progB}/status`, "admin", { status: "paused" });
    const paused = await (await get("/admin/programs?status=paused", "admin")).text();
    expect(paused).toContain("Rival Secret");
    expect(paused).not.toContain("Acme Tents 2");
    await post(`/admin/programs/${progB}/status`, "admin", { status: "active" });
    await t.request(`/api/admin/brands`, { method: "POST", token: t.adminToken, json: { name: "=HYPERLINK(1)" } });
    const csv = await get("/admin/programs?format=csv&sort=name&dir=asc", "admin");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const body = await csv.text();
    expect(body.split("\r\n")[0]).toStartWith("id,name,brand,status");
    expect(body).toContain("Acme Tents 2");
  });
});

describe("applications: a publisher applies, the admin approves", () => {
  test("apply creates one pending application; applying twice changes nothing", async () => {
    const res = await post(`/dashboard/publisher/programs/${progA}/apply`, "pub1", {});
    expect(res.status).toBe(303);
    const again = await post(`/dashboard/publisher/programs/${progA}/apply`, "pub1", {});
    expect(again.status).toBe(303);
    expect(again.headers.get("set-cookie")).toContain("lc_flash=");
    const rows = await t.ctx.db.select().from(approvals).where(and(eq(approvals.programId, progA), eq(approvals.publisherId, pub1)));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("pending");
    const audits = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, "approval.applied"));
    expect(audits).toHaveLength(1);
    const market = await (await get("/dashboard/publisher/programs", "pub1")).text();
    expect(market).toContain("Waiting for the network");
  });

  test("applying to an unknown or paused program -> 404, nothing stored", async () => {
    expect((await post("/dashboard/publisher/programs/nope/apply", "pub1", {})).status).toBe(404);
    await post(`/admin/programs/${progB}/status`, "admin", { status: "paused" });
    expect((await post(`/dashboard/publisher/programs/${progB}/apply`, "pub1", {})).status).toBe(404);
    await post(`/admin/programs/${progB}/status`, "admin", { status: "active" });
    expect(await t.ctx.db.select().from(approvals).where(eq(approvals.publisherId, pub1))).toHaveLength(1);
  });

  test("the admin sees it under Applications and approves it: the link appears in the marketplace", async () => {
    const page = await (await get("/admin/applications", "admin")).text();
    expect(page).toContain("Trail Blog");
    const [row] = await t.ctx.db.select().from(approvals).where(and(eq(approvals.programId, progA), eq(approvals.publisherId, pub1)));
    expect((await post(`/admin/approvals/${row!.id}/status`, "admin", { status: "approved" })).status).toBe(303);
    const market = await (await get("/dashboard/publisher/programs", "pub1")).text();
    expect(market).toContain(`https://track.test/go/${row!.slug}`);
    expect((await t.request(`/go/${row!.slug}`)).status).toBe(302);
  });

  test("a publisher never sees another publisher's link, nor the network fee", async () => {
    const market = await (await get("/dashboard/publisher/programs", "pub1")).text();
    const [other] = await t.ctx.db.select().from(approvals).where(eq(approvals.id, linkPub2));
    expect(market).not.toContain(other!.slug);
    expect(market).not.toMatch(/network fee|fee_pct|network_fee/i); // (a bare "fee" can occur in a random token)
    expect(market).toContain("12.00 USD per sale"); // 15.00 less 20%
  });

  test("suspend and reactivate a link from Tracking links", async () => {
    expect((await post(`/admin/approvals/${linkPub2}/status`, "admin", { status: "suspended" })).status).toBe(303);
    expect((await t.ctx.db.select().from(approvals).where(eq(approvals.id, linkPub2)))[0]!.status).toBe("suspended");
    expect((await post(`/admin/approvals/${linkPub2}/status`, "admin", { status: "approved" })).status).toBe(303);
    const links = await (await get("/admin/links", "admin")).text();
    expect(links).toContain('id="url-' + linkPub2 + '"');
  });
});

describe("publisher link builder", () => {
  test("builds the link with sub-ids and UTM, with a QR code", async () => {
    const [row] = await t.ctx.db.select().from(approvals).where(and(eq(approvals.programId, progA), eq(approvals.publisherId, pub1)));
    const res = await get(`/dashboard/publisher/links?link=${row!.id}&sub1=post-42&utm_source=newsletter&sub3=`, "pub1");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`value="https://track.test/go/${row!.slug}?sub1=post-42&amp;utm_source=newsletter"`);
    expect(html).toContain("<svg");
    const frag = await (await t.request(`/dashboard/publisher/links/build?link=${row!.id}&sub2=a%20b`, { headers: { cookie: s.pub1, "hx-request": "true" } })).text();
    expect(frag).toStartWith('<div id="link-result"');
    expect(frag).toContain("?sub2=a+b");
  });

  test("another publisher's link id -> 404", async () => {
    expect((await get(`/dashboard/publisher/links?link=${linkPub2}`, "pub1")).status).toBe(404);
    expect((await get(`/dashboard/publisher/links/build?link=${linkPub2}`, "pub1")).status).toBe(404);
  });

  test("over-long values are refused next to the link, not put in it", async () => {
    const html = await (await get(`/dashboard/publisher/links?sub1=${"x".repeat(201)}`, "pub1")).text();
    expect(html).toContain("sub1: must be at most 200 characters");
    expect(html).toMatch(/id="built-url" readonly value="https:\/\/track\.test\/go\/[\w-]+"/); // the link itself leaves it out
  });
});

describe("publisher settings", () => {
  test("an invalid ACH routing number shows its error next to the field; nothing stored", async () => {
    const res = await post("/dashboard/publisher/settings", "pub1", { name: "Trail Blog", email: "pub1@trail.example", payout_method: "ACH", "ACH.account_holder": "Ann Lee", "ACH.routing_number": "123456789", "ACH.account_number": "12345678", "ACH.account_type": "checking" });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-ACH.routing_number-err">must be a valid 9-digit ABA routing number/);
    expect((await t.ctx.db.select().from(publishers).where(eq(publishers.id, pub1)))[0]!.payoutMethod).toBeNull();
  });

  test("a valid method saves; the admin sees it masked", async () => {
    const res = await post("/dashboard/publisher/settings", "pub1", { name: "Trail Blog", email: "pub1@trail.example", payout_method: "ACH", "ACH.account_holder": "Ann Lee", "ACH.routing_number": "021000021", "ACH.account_number": "12345678", "ACH.account_type": "savings", "PayPal.email": "ignored@x.example" });
    expect(res.status).toBe(303);
    const [row] = await t.ctx.db.select().from(publishers).where(eq(publishers.id, pub1));
    expect(row!.payoutMethod).toBe("ACH");
    expect(JSON.parse(row!.payoutDetails!)).toEqual({ account_holder: "Ann Lee", routing_number: "021000021", account_number: "12345678", account_type: "savings" });
    const admin = await (await get("/admin/publishers", "admin")).text();
    expect(admin).toContain("ACH savings ••••5678");
    expect(admin).not.toContain("12345678");
    expect(admin).not.toContain("secret-pay@");
  });

  test("a bad contact email is refused next to the field", async () => {
    const res = await post("/dashboard/publisher/settings", "pub1", { name: "Trail Blog", email: "nope" });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-email-err">must be an email address/);
  });
});

describe("brand programs", () => {
  test("its own programs with publisher names; never another brand's, nor payout details", async () => {
    const html = await (await get("/dashboard/brand/programs", "brand")).text();
    expect(html).toContain("Acme Tents 2");
    expect(html).not.toContain("Rival Secret");
    const detail = await (await get(`/dashboard/brand/programs/${progA}`, "brand")).text();
    expect(detail).toContain("Other Pub");
    expect(detail).toContain("Trail Blog");
    expect(detail).not.toContain("secret-pay@");
    expect(detail).not.toContain("@other.example");
  });
  test("another brand's program id -> 404", async () => {
    expect((await get(`/dashboard/brand/programs/${progB}`, "brand")).status).toBe(404);
  });
});

describe("admin brands, publishers, FX, settings", () => {
  test("brand names are escaped; rename through the form; unknown brand 404", async () => {
    const list = await (await get("/admin/brands", "admin")).text();
    expect(list).toContain("Rival &lt;b&gt;Co&lt;/b&gt;");
    expect(list).not.toContain("<b>Co</b>");
    expect((await post(`/admin/brands/${brandB}`, "admin", { name: "" })).status).toBe(422);
    expect((await post(`/admin/brands/${brandB}`, "admin", { name: "Rival Co" })).status).toBe(303);
    const detail = await (await get(`/admin/brands/${brandB}`, "admin")).text();
    expect(detail).toContain("Rival Secret");
    expect(detail).toContain(`href="/admin/brands/${brandB}/keys"`);
    expect(detail).toMatch(/<code>lc_live_[\w-]{4}…<\/code>/); // key prefixes only
    const prefilled = await (await get(`/admin/programs/new?brand_id=${brandB}`, "admin")).text();
    expect(prefilled).toContain(`<option value="${brandB}" selected>`);
    expect((await get("/admin/brands/missing", "admin")).status).toBe(404);
  });

  test("approve a self-signed-up publisher: publisher and user become active", async () => {
    const { putNetworkSettings } = await import("../../src/settings/network-settings");
    await putNetworkSettings(t.ctx, { openSignup: true });
    const signup = await t.request("/signup", { method: "POST", headers: FORM, body: form({ name: "New Pub", email: "new@pub.example", password: "correct horse battery", confirm: "correct horse battery" }) });
    expect(signup.status).toBeLessThan(400);
    const [p] = await t.ctx.db.select().from(publishers).where(eq(publishers.name, "New Pub"));
    expect(p!.status).toBe("pending");
    expect(await (await get("/admin/publishers?status=pending", "admin")).text()).toContain("New Pub");
    expect((await post(`/admin/publishers/${p!.id}/approve`, "admin", {})).status).toBe(303);
    expect((await t.ctx.db.select().from(publishers).where(eq(publishers.id, p!.id)))[0]!.status).toBe("active");
    expect((await login(t, "new@pub.example")).res.status).toBe(303);
    const cookie = (await login(t, "new@pub.example")).cookie;
    expect((await t.request("/dashboard/publisher/programs", { headers: { cookie } })).status).toBe(200);
  });

  test("FX: an exact rate is stored; a bad one is refused next to the field", async () => {
    expect((await post("/admin/fx-rates", "admin", { base: "eur", quote: "USD", rate: "1.084200" })).status).toBe(303);
    expect((await t.ctx.db.select().from(fxRates))[0]).toMatchObject({ base: "EUR", quote: "USD", rate: "1.0842" });
    const bad = await post("/admin/fx-rates", "admin", { base: "EUR", quote: "EUR", rate: "abc" });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toMatch(/id="f-rate-err"/);
    expect(html).toMatch(/id="f-quote-err">base and quote must differ/);
    expect(await t.ctx.db.select().from(fxRates)).toHaveLength(1);
  });

  test("settings: an unknown timezone is refused; a valid change is saved and audited", async () => {
    const base = { network_name: "Trail Network", timezone: "Mars/Base", default_fee_pct: "25", payout_threshold: "100.00", legal_name: "Trail Network LLC", tax_id: "US-12", legal_address: "1 Main St", email: "billing@trail.example" };
    const bad = await post("/admin/settings", "admin", base);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/id="f-timezone-err">must be an IANA timezone/);
    expect((await t.ctx.db.select().from(settings).where(eq(settings.key, "legal_name")))).toHaveLength(0);
    expect((await post("/admin/settings", "admin", { ...base, default_fee_pct: "101" })).status).toBe(422);
    expect((await post("/admin/settings", "admin", { ...base, timezone: "America/New_York" })).status).toBe(303);
    const page = await (await get("/admin/settings", "admin")).text();
    expect(page).toContain('value="Trail Network LLC"');
    expect(page).toContain("Trail Network</a>");
    const [audit] = await t.ctx.db.select().from(auditLog).where(and(eq(auditLog.action, "settings.updated"), eq(auditLog.actorType, "admin")));
    expect(JSON.parse(audit!.data!).timezone).toEqual({ before: "UTC", after: "America/New_York" });
    const newForm = await (await get("/admin/programs/new", "admin")).text();
    expect(newForm).toContain('name="network_fee_pct" type="text" value="25"');
  });
});
