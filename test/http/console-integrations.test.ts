import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { adminTokens, brandApiKeys, inbox, integrations, publisherPostbacks, rubricVersions, smartLinks } from "../../src/db/schema";
import { makeTestApp, type TestApp } from "../helpers/app";
import { csrfOf, FORM, login, makeUser } from "../helpers/console";
import { api, approve, makeBrand, makeProgram, makePublisher } from "../helpers/factories";

// Integration pages through the real app: integrations, inbox + replay, keys, tokens,
// publisher postbacks, rubric / scores / smart links; the scope and CSRF rejection paths.
let t: TestApp;
const S: Record<string, { cookie: string; csrf: string }> = {};
let brandA = "", brandB = "", programA = "", programB = "", pub1 = "", pub2 = "";
let integrationA = "", integrationB = "";

beforeAll(async () => {
  t = await makeTestApp();
  brandA = (await makeBrand(t, "Acme")).id;
  brandB = (await makeBrand(t, "Borealis")).id;
  programA = (await makeProgram(t, brandA, { name: "Acme Tents", attributes: { category: "tents" } })).id;
  programB = (await makeProgram(t, brandB, { name: "Borealis Boots" })).id;
  pub1 = (await makePublisher(t, "Trail Blog")).id;
  pub2 = (await makePublisher(t, "Gear Reviews")).id;
  await approve(t, programA, pub1);
  integrationB = (await api(t, "POST", "/api/admin/integrations", { program_id: programB, provider: "generic", secret: "borealis-secret", vendor_id: "borealis" })).id;
  const users: [string, string, "admin" | "brand" | "publisher", Record<string, string>][] = [
    ["admin", "admin@net.example", "admin", {}], ["brandA", "a@acme.example", "brand", { brand_id: brandA }],
    ["brandB", "b@borealis.example", "brand", { brand_id: brandB }], ["pub1", "p1@trail.example", "publisher", { publisher_id: pub1 }],
    ["pub2", "p2@gear.example", "publisher", { publisher_id: pub2 }],
  ];
  for (const [k, email, role, party] of users) {
    await makeUser(t, email, role, party);
    const { cookie } = await login(t, email);
    S[k] = { cookie, csrf: await csrfOf(t, cookie) };
  }
}, 60_000);
afterAll(() => t.close());

const get = (who: string, path: string, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie: S[who]!.cookie, ...headers } });
const post = (who: string, path: string, fields: Record<string, string> | URLSearchParams, opts: { csrf?: boolean; htmx?: boolean } = {}) => {
  const body = new URLSearchParams(fields);
  if (opts.csrf !== false) body.set("_csrf", S[who]!.csrf);
  return t.request(path, { method: "POST", headers: { ...FORM, cookie: S[who]!.cookie, ...(opts.htmx ? { "hx-request": "true" } : {}) }, body: body.toString() });
};
const count = async (table: typeof inbox | typeof integrations | typeof rubricVersions | typeof smartLinks | typeof publisherPostbacks) => (await t.ctx.db.select().from(table)).length;

describe("who may open which page", () => {
  const pages: [string, string][] = [
    ["/admin/integrations", "admin"], ["/admin/inbox", "admin"], ["/admin/postbacks", "admin"], ["/admin/keys", "admin"], ["/admin/tokens", "admin"],
    ["/admin/rubric", "admin"], ["/admin/scores", "admin"], ["/admin/smart-links", "admin"],
    ["/dashboard/brand/integrations", "brandA"], ["/dashboard/brand/keys", "brandA"],
    ["/dashboard/publisher/postbacks", "pub1"], ["/dashboard/publisher/smart-links", "pub1"],
  ];
  test.each(pages)("%s: no session -> /login, its role -> 200, other roles -> 403", async (path, owner) => {
    const anon = await t.request(path);
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
    expect((await get(owner, path)).status).toBe(200);
    for (const other of ["admin", "brandA", "pub1"].filter((w) => w !== owner)) expect((await get(other, path)).status).toBe(403);
  });
});

describe("admin integrations", () => {
  test("missing CSRF -> 403 and nothing stored", async () => {
    const before = await count(integrations);
    const res = await post("admin", "/admin/integrations", { program_id: programA, provider: "generic", generic_secret: "acme-secret-1", vendor_id: "acme" }, { csrf: false });
    expect(res.status).toBe(403);
    expect(await count(integrations)).toBe(before);
  });

  test("a generic integration without its vendor id -> 422 with the error next to the field, nothing stored", async () => {
    const before = await count(integrations);
    const res = await post("admin", "/admin/integrations", { program_id: programA, provider: "generic", generic_secret: "acme-secret-1" });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-vendor_id-err">required for generic/);
    expect(await count(integrations)).toBe(before);
  });

  test("creates a generic integration in test mode and shows its webhook URL with &i=", async () => {
    const res = await post("admin", "/admin/integrations", { program_id: programA, provider: "generic", generic_secret: "acme-secret-1", vendor_id: "acme", mode: "test" });
    expect(res.status).toBe(201);
    const [row] = await t.ctx.db.select().from(integrations).where(eq(integrations.programId, programA));
    integrationA = row!.id;
    expect(row!.mode).toBe("test");
    expect(await res.text()).toContain(`https://track.test/api/affiliate/webhook?provider=generic&amp;i=${integrationA}`);
  });

  test("counts inbox verdicts per integration; switching to live is audited and shown", async () => {
    const hook = (orderId: string) => t.request(`/api/affiliate/webhook?provider=generic&i=${integrationA}`, {
      method: "POST", headers: { "content-type": "application/json", "x-lastclick-secret": "acme-secret-1" },
      body: JSON.stringify({ vendor_id: "acme", order_id: orderId, order_total: "20.00", commission_total: "2.00", currency: "USD", submission_id: "", occurred_at: "2026-11-02T10:00:00Z" }),
    });
    expect((await hook("TEST-1")).status).toBe(200);
    expect((await hook("TEST-1")).status).toBe(409);
    const page = await (await get("admin", "/admin/integrations")).text();
    expect(page).toContain(`integration_id=${integrationA}&amp;verdict=accepted" title="accepted">1 accepted`);
    expect(page).toContain(`integration_id=${integrationA}&amp;verdict=duplicate" title="duplicate">1 duplicate`);
    const flip = await post("admin", `/admin/integrations/${integrationA}/mode`, { mode: "live" });
    expect(flip.status).toBe(303);
    expect((await t.ctx.db.select().from(integrations).where(eq(integrations.id, integrationA)))[0]!.mode).toBe("live");
    const audit = await api(t, "GET", "/api/admin/audit");
    expect(JSON.stringify(audit)).toContain("integration.mode_changed");
  });

  test("CSV export lists the integrations", async () => {
    const res = await get("admin", "/admin/integrations?format=csv");
    expect(res.headers.get("content-type")).toContain("text/csv");
    const csv = await res.text();
    expect(csv.split("\r\n")[0]).toStartWith("id,provider,brand,program,mode,webhook_url");
    expect(csv).toContain(integrationA);
  });
});

describe("inbox", () => {
  let rowId = "";
  beforeAll(async () => {
    const res = await t.request(`/api/affiliate/webhook?provider=generic&i=${integrationA}`, {
      method: "POST", headers: { "content-type": "application/json", "x-lastclick-secret": "acme-secret-1" },
      body: JSON.stringify({ vendor_id: "acme", order_id: "<script>alert(1)</script>", order_total: "30.00", commission_total: "3.00", currency: "USD", submission_id: "", occurred_at: "2026-11-02T10:00:00Z" }),
    });
    rowId = (await res.json() as { inbox_id: string }).inbox_id;
  });

  test("lists requests with filters; a row's detail shows redacted headers, the body as text and its size", async () => {
    const list = await (await get("admin", `/admin/inbox?provider=generic&integration_id=${integrationA}&verdict=accepted`)).text();
    expect(list).toContain(`id="inbox-${rowId}"`);
    const none = await (await get("admin", "/admin/inbox?verdict=updated")).text();
    expect(none).not.toContain(`id="inbox-${rowId}"`);
    const detail = await (await get("admin", `/admin/inbox/${rowId}`)).text();
    expect(detail).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(detail).not.toContain("<script>alert(1)");
    expect(detail).not.toContain("acme-secret-1");
    expect(detail).toMatch(/x-lastclick-secret<\/th><td><code>\[redacted/i);
    expect(detail).toMatch(/\d+ bytes/);
  });

  test("replay without CSRF -> 403 and nothing replayed", async () => {
    const before = await count(inbox);
    const res = await post("admin", `/admin/inbox/${rowId}/replay`, {}, { csrf: false, htmx: true });
    expect(res.status).toBe(403);
    expect(await count(inbox)).toBe(before);
  });

  test("replay (htmx) answers a fragment with the new verdict; the replay is its own inbox row", async () => {
    const res = await post("admin", `/admin/inbox/${rowId}/replay`, {}, { htmx: true });
    expect(res.status).toBe(200);
    const frag = await res.text();
    expect(frag).not.toContain("<html");
    expect(frag).toContain("badge-duplicate");
    const [replay] = await t.ctx.db.select().from(inbox).where(eq(inbox.replayOf, rowId));
    expect(replay!.verdict).toBe("duplicate");
    expect(frag).toContain(`/admin/inbox/${replay!.id}`);
  });

  test("an unknown row -> 404; CSV has the header and the rows", async () => {
    expect((await get("admin", "/admin/inbox/nope")).status).toBe(404);
    const csv = await (await get("admin", "/admin/inbox?format=csv&provider=generic")).text();
    expect(csv).toStartWith("id,received (UTC),provider");
    expect(csv).toContain(rowId);
  });
});

describe("brand integrations and setup", () => {
  test("a brand sees its own integrations and snippets with its program id, never a real key", async () => {
    const page = await (await get("brandA", "/dashboard/brand/integrations")).text();
    expect(page).toContain(`id="integration-${integrationA}"`);
    expect(page).not.toContain(integrationB);
    expect(page).toContain(`&quot;program_id&quot;:&quot;${programA}&quot;`);
    expect(page).toContain("https://track.test/api/conv");
    expect(page).toContain("lc_live_YOUR_KEY");
    expect(page).not.toMatch(/lc_live_(?!YOUR_KEY)[A-Za-z0-9_-]{10,}/);
    for (const lang of ["snippet-curl", "snippet-node", "snippet-php", "snippet-python", "snippet-woo"]) expect(page).toContain(`id="${lang}"`);
    expect(page).toContain("Settings → Notifications → Webhooks");
    expect(page).not.toContain("Inbox");
  });

  test("another brand's integration -> 404 (as if it did not exist)", async () => {
    expect((await get("brandA", `/dashboard/brand/integrations/${integrationB}`)).status).toBe(404);
    expect((await get("brandB", `/dashboard/brand/integrations/${integrationA}`)).status).toBe(404);
    const own = await get("brandA", `/dashboard/brand/integrations/${integrationA}`);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain(`i=${integrationA}`);
  });
});

describe("API keys and admin tokens", () => {
  test("a brand creates a live key: shown once, never on a reload; it works on /api/conv", async () => {
    const res = await post("brandA", "/dashboard/brand/keys", { mode: "live" });
    expect(res.status).toBe(201);
    const key = /value="(lc_live_[^"]+)"/.exec(await res.text())![1]!;
    const reload = await (await get("brandA", "/dashboard/brand/keys")).text();
    expect(reload).not.toContain(key);
    expect(reload).toContain(`${key.slice(0, 12)}…`);
    const conv = await t.request("/api/conv", { method: "POST", token: key, json: { program_id: programA, brand_order_ref: "K-1", order_value: "10.00", order_currency: "USD" } });
    expect(conv.status).toBe(200);
  });

  test("a brand cannot revoke another brand's key (404, still active); the admin can revoke it", async () => {
    const [keyB] = await t.ctx.db.select().from(brandApiKeys).where(eq(brandApiKeys.brandId, brandB));
    expect((await post("brandA", `/dashboard/brand/keys/${keyB!.id}/revoke`, {})).status).toBe(404);
    expect((await t.ctx.db.select().from(brandApiKeys).where(eq(brandApiKeys.id, keyB!.id)))[0]!.revokedAt).toBeNull();
    expect((await get("brandA", `/admin/brands/${brandB}/keys`)).status).toBe(403);
    const admin = await post("admin", `/admin/brands/${brandB}/keys/${keyB!.id}/revoke`, {});
    expect(admin.status).toBe(303);
    expect((await t.ctx.db.select().from(brandApiKeys).where(eq(brandApiKeys.id, keyB!.id)))[0]!.revokedAt).not.toBeNull();
    expect((await get("admin", `/admin/brands/${brandB}/keys?status=revoked`)).status).toBe(200);
  });

  test("admin tokens: created once, listed with last use, revoked at once; bad name -> field error", async () => {
    const bad = await post("admin", "/admin/tokens", { name: "<bad>" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('id="f-name-err"');
    const res = await post("admin", "/admin/tokens", { name: "billing export" });
    expect(res.status).toBe(201);
    const token = /value="(lc_admin_[^"]+)"/.exec(await res.text())![1]!;
    expect((await t.request("/api/admin/brands", { token })).status).toBe(200);
    const list = await (await get("admin", "/admin/tokens")).text();
    expect(list).not.toContain(token);
    const [row] = await t.ctx.db.select().from(adminTokens).where(eq(adminTokens.name, "billing export"));
    expect(list).toContain(`id="token-${row!.id}"`);
    expect((await post("admin", `/admin/tokens/${row!.id}/revoke`, {}, { csrf: false })).status).toBe(403);
    expect((await t.request("/api/admin/brands", { token })).status).toBe(200);
    expect((await post("admin", `/admin/tokens/${row!.id}/revoke`, {})).status).toBe(303);
    expect((await t.request("/api/admin/brands", { token })).status).toBe(401);
  });
});

describe("publisher postbacks", () => {
  let endpoint = "";
  test("an invalid URL -> 422 next to the field, nothing stored; a valid one is added", async () => {
    const before = await count(publisherPostbacks);
    const bad = await post("pub1", "/dashboard/publisher/postbacks", new URLSearchParams([["url", "https://{sub1}.evil.example/x"], ["method", "GET"], ["events", "conversion.created"]]));
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/id="f-url-err">[^<]*not in the host/);
    expect(await count(publisherPostbacks)).toBe(before);
    const ok = await post("pub1", "/dashboard/publisher/postbacks", new URLSearchParams([["url", "https://tracker.example/pb?cid={click_id}&p={payout}"], ["method", "GET"], ["events", "conversion.created"], ["events", "conversion.reversed"]]));
    expect(ok.status).toBe(303);
    const [row] = await t.ctx.db.select().from(publisherPostbacks).where(eq(publisherPostbacks.publisherId, pub1));
    endpoint = row!.id;
    expect(JSON.parse(row!.events)).toEqual(["conversion.created", "conversion.reversed"]);
  });

  test("another publisher's postback -> 404 to open and to pause, unchanged", async () => {
    expect((await get("pub2", `/dashboard/publisher/postbacks/${endpoint}`)).status).toBe(404);
    expect((await post("pub2", `/dashboard/publisher/postbacks/${endpoint}/status`, { status: "paused" })).status).toBe(404);
    expect((await t.ctx.db.select().from(publisherPostbacks).where(eq(publisherPostbacks.id, endpoint)))[0]!.status).toBe("active");
    expect(await (await get("pub2", "/dashboard/publisher/postbacks")).text()).not.toContain(endpoint);
  });

  test("the publisher pauses it; the admin sees why across publishers and resumes it", async () => {
    expect((await post("pub1", `/dashboard/publisher/postbacks/${endpoint}/status`, { status: "paused" })).status).toBe(303);
    const admin = await (await get("admin", "/admin/postbacks?status=paused")).text();
    expect(admin).toContain(`id="postback-${endpoint}"`);
    expect(admin).toContain("paused by the publisher");
    expect(admin).toContain("Trail Blog");
    expect((await post("admin", `/admin/postbacks/${endpoint}/status`, { status: "active" })).status).toBe(303);
    expect((await t.ctx.db.select().from(publisherPostbacks).where(eq(publisherPostbacks.id, endpoint)))[0]!.status).toBe("active");
    expect((await get("pub1", `/dashboard/publisher/postbacks/${endpoint}`)).status).toBe(200);
  });
});

describe("rubric, scores, smart links", () => {
  const rubricForm = (weights: string[]) => new URLSearchParams([
    ["threshold", "70"], ["flat_amount", "5.00"], ["flat_currency", "USD"],
    ...["quality", "service", "shipping"].flatMap((k, i) => [["signal_key", k], ["signal_name", k.toUpperCase()], ["signal_description", ""], ["signal_weight", weights[i]!]]),
  ] as [string, string][]);

  test("weights not summing to 100 -> the error next to the signals, nothing stored", async () => {
    const res = await post("admin", "/admin/rubric", rubricForm(["50", "30", "10"]));
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-signals-err"[^>]*>weights must sum to 100; they sum to 90/);
    expect(await count(rubricVersions)).toBe(0);
  });

  test("a threshold out of range -> field error, nothing stored; a valid rubric publishes version 1", async () => {
    const bad = rubricForm(["50", "30", "20"]);
    bad.set("threshold", "101");
    const r = await post("admin", "/admin/rubric", bad);
    expect(r.status).toBe(422);
    expect(await r.text()).toContain('id="f-threshold-err"');
    expect(await count(rubricVersions)).toBe(0);
    expect((await post("admin", "/admin/rubric", rubricForm(["50", "30", "20"]))).status).toBe(303);
    expect(await (await get("admin", "/admin/rubric")).text()).toContain('id="rubric-v1"');
  });

  test("scores: out of range -> field error; saved scores show the computed total", async () => {
    const bad = await post("admin", `/admin/scores/${programA}`, { score_quality: "1.5", score_service: "1", score_shipping: "1" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('id="f-score_quality-err"');
    expect((await post("admin", `/admin/scores/${programA}`, { score_quality: "1", score_service: "0.8", score_shipping: "0.8", note: "lab tests" })).status).toBe(303);
    const page = await (await get("admin", `/admin/scores?program=${programA}`)).text();
    expect(page).toMatch(/<strong>90<\/strong>/);
    expect(page).toContain("lab tests");
    expect((await get("admin", "/admin/scores?program=nope")).status).toBe(404);
  });

  test("smart links: criteria nobody matches -> error, nothing stored; created link listed with counts; publishers see only theirs", async () => {
    const none = await post("admin", "/admin/smart-links", { criteria: "category: kayaks", publisher_id: "", code: "" , match_page: "on" });
    expect(none.status).toBe(422);
    expect(await none.text()).toContain('id="f-criteria-err"');
    expect(await count(smartLinks)).toBe(0);
    expect((await post("admin", "/admin/smart-links", { criteria: "category: tents", publisher_id: pub1, code: "tents-trail", match_page: "on" })).status).toBe(303);
    const res = await t.request("/go/m/tents-trail", { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130" } });
    expect(res.status).toBe(302);
    await t.ctx.clicks.flush();
    const admin = await (await get("admin", "/admin/smart-links")).text();
    expect(admin).toMatch(/id="smart-link-[^"]+"[\s\S]*?https:\/\/track\.test\/go\/m\/tents-trail[\s\S]*?<td class="num">1<\/td><td class="num">0<\/td>/);
    expect(admin).toContain('<div id="smart-links-table" data-live="conversions">');
    expect(await (await get("pub1", "/dashboard/publisher/smart-links")).text()).toContain("tents-trail");
    expect(await (await get("pub2", "/dashboard/publisher/smart-links")).text()).not.toContain("tents-trail");
  });
});
