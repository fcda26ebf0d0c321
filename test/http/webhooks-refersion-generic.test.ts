import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, click, network } from "../helpers/factories";
import { hmacBase64, hmacHex } from "../helpers/sign";

let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
let refersion: { id: string; webhook_url: string };
const SECRET = "refersion-shared-secret";
const GENERIC_SECRET = "generic-shared-secret";

beforeAll(async () => {
  t = await makeTestApp();
  n = await network(t, { commission_type: "percentage", commission_value: "10" });
  refersion = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", mode: "live", secret: SECRET });
  await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "generic", mode: "live", secret: GENERIC_SECRET, vendor_id: "acme-store" });
});
afterAll(() => t.close());

const path = (url: string) => { const u = new URL(url); return u.pathname + u.search; };
const refersionBody = (over: Record<string, unknown> = {}) => JSON.stringify({
  id: 48210937, status: "PENDING", total: "59.00", commission_total: "5.90", currency: "usd", is_test_conversion: false,
  order_id: `R-${crypto.randomUUID()}`, click: { sub_id: null }, ...over,
});
const sendRefersion = (body: string, headers: Record<string, string> = {}, p = "/api/affiliate/webhook?provider=refersion") =>
  t.request(p, { method: "POST", body, headers: { "content-type": "application/json", "refersion-signature": hmacBase64(SECRET, body), ...headers } });
const inbox = async (q = "") => (await api(t, "GET", `/api/admin/inbox?limit=1${q}`)).data[0];
const conversionCount = async () => Number((await t.ctx.client.execute("select count(*) from conversions")).rows[0]![0]);

describe("refersion", () => {
  test("signed conversion found by signature alone (no &i=), attributed via click.sub_id, platform commission kept", async () => {
    const { clickId } = await click(t, n.pathA);
    const res = await sendRefersion(refersionBody({ click: { sub_id: clickId }, order_id: "R-1001" }));
    expect(res.status).toBe(200);
    const j = await res.json();
    expect(j.status).toBe("created");
    const c = await api(t, "GET", `/api/admin/conversions/${j.id}`);
    expect(c).toMatchObject({ publisher_id: n.pubA.id, source: "refersion", order_value: "59.00", order_currency: "USD", commission: "5.90", platform_commission_minor: 590, test: false });
    expect(await inbox()).toMatchObject({ provider: "refersion", verdict: "accepted", integration_id: refersion.id, conversion_id: j.id });
  });

  test("X-RFC-Signature in hex is accepted too; the URL with &i= works", async () => {
    const body = refersionBody();
    const res = await t.request(path(refersion.webhook_url), { method: "POST", body, headers: { "content-type": "application/json", "x-rfc-signature": hmacHex(SECRET, body) } });
    expect(res.status).toBe(200);
  });

  test("re-delivery with a new status updates the stored conversion; same status again is 409", async () => {
    const body = refersionBody({ order_id: "R-2002" });
    const created = await (await sendRefersion(body)).json();
    const approved = await sendRefersion(refersionBody({ order_id: "R-2002", status: "APPROVED" }));
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: "updated", id: created.id, conversion_status: "approved" });
    expect((await inbox()).verdict).toBe("updated");
    const again = await sendRefersion(refersionBody({ order_id: "R-2002", status: "APPROVED" }));
    expect(again.status).toBe(409);
    expect((await inbox()).verdict).toBe("duplicate");
    const denied = await sendRefersion(refersionBody({ order_id: "R-2002", status: "DENIED" }));
    expect(await denied.json()).toMatchObject({ status: "updated", conversion_status: "reversed" });
  });

  test("test flags: is_test_conversion, TEST order ids and 0.01 totals are stored as test", async () => {
    for (const over of [{ is_test_conversion: true }, { order_id: "TEST-77" }, { total: "0.01" }]) {
      const j = await (await sendRefersion(refersionBody(over))).json();
      expect(j.test).toBe(true);
    }
  });

  test("bad signature, missing signature, tampered body: 401, nothing stored, reason in the inbox", async () => {
    const before = await conversionCount();
    const body = refersionBody();
    for (const headers of [{ "refersion-signature": hmacBase64("wrong-secret", body) }, { "refersion-signature": "" }]) {
      const res = await sendRefersion(body, headers);
      expect(res.status).toBe(401);
      expect((await res.json()).error.message).toBe("Missing or invalid credentials");
    }
    const tampered = await t.request("/api/affiliate/webhook?provider=refersion", { method: "POST", body: body.replace("59.00", "99.00"), headers: { "refersion-signature": hmacBase64(SECRET, body) } });
    expect(tampered.status).toBe(401);
    expect(await conversionCount()).toBe(before);
    expect(await inbox()).toMatchObject({ verdict: "rejected", status_code: 401 });
  });

  test("malformed and absurd bodies: 422 with reasons; HTML/SQL in ids stored verbatim", async () => {
    for (const body of ["{not json", JSON.stringify({ order_id: "X", total: "-5", currency: "USD" }), JSON.stringify({ order_id: "X2", total: "1e30", currency: "USD" }), JSON.stringify({ total: "5" })]) {
      const res = await sendRefersion(body);
      expect(res.status).toBe(422);
      expect((await inbox()).verdict).toBe("rejected");
    }
    const evil = `<script>alert(1)</script>'; DROP TABLE conversions;--`;
    const j = await (await sendRefersion(refersionBody({ order_id: evil }))).json();
    expect((await api(t, "GET", `/api/admin/conversions/${j.id}`)).brand_order_ref).toBe(evil);
  });

  test("concurrent identical deliveries create exactly one row", async () => {
    const body = refersionBody({ order_id: "R-RACE" });
    const res = await Promise.all(Array.from({ length: 20 }, () => sendRefersion(body)));
    const codes = res.map((r) => r.status).sort();
    expect(codes.filter((c) => c === 200).length).toBe(1);
    expect(codes.filter((c) => c === 409).length).toBe(19);
    expect(Number((await t.ctx.client.execute("select count(*) from conversions where brand_order_ref = 'R-RACE'")).rows[0]![0])).toBe(1);
  });
});

describe("generic", () => {
  const body = (over: Record<string, unknown> = {}) => JSON.stringify({ vendor_id: "acme-store", order_id: `G-${crypto.randomUUID()}`, order_total: 120, commission_total: "12.00", currency: "USD", submission_id: null, occurred_at: "2026-11-02T11:00:00Z", ...over });
  const send = (b: string, secret = GENERIC_SECRET) => t.request("/api/affiliate/webhook?provider=generic", { method: "POST", body: b, headers: { "content-type": "application/json", "x-lastclick-secret": secret } });

  test("found by vendor_id, secret checked, submission_id attributes, duplicate is 409", async () => {
    const { clickId } = await click(t, n.pathB);
    // A zone-less occurred_at a few hours "before" the click (platform in another zone) still credits it.
    const early = await (await send(body({ submission_id: clickId, occurred_at: "2026-11-02 07:30:00" }))).json();
    expect((await api(t, "GET", `/api/admin/conversions/${early.id}`)).attribution).toBe("credited");
    const b = body({ submission_id: clickId, order_id: "G-1", occurred_at: 1793966400 }); // 2026-11-02T12:00:00Z, unix seconds
    const res = await send(b);
    expect(res.status).toBe(200);
    const j = await res.json();
    expect((await api(t, "GET", `/api/admin/conversions/${j.id}`)).publisher_id).toBe(n.pubB.id);
    expect((await send(b)).status).toBe(409);
  });
  test("wrong secret or unknown vendor: 401; the secret is never written to the inbox", async () => {
    expect((await send(body(), "nope")).status).toBe(401);
    expect((await send(body({ vendor_id: "other" }))).status).toBe(401);
    const row = await inbox("&provider=generic");
    expect(row.headers["x-lastclick-secret"]).toBe("[redacted]");
    expect(JSON.stringify(row)).not.toContain(GENERIC_SECRET);
  });
});

describe("intake errors, inbox and replay", () => {
  test("unknown or missing provider, wrong method, body over the cap", async () => {
    expect((await t.request("/api/affiliate/webhook?provider=paypal", { method: "POST", body: "{}" })).status).toBe(404);
    expect((await t.request("/api/affiliate/webhook", { method: "POST", body: "{}" })).status).toBe(400);
    expect((await t.request("/api/affiliate/webhook?provider=refersion", { method: "GET" })).status).toBe(405);
    const big = await t.request("/api/affiliate/webhook?provider=refersion", { method: "POST", body: "x".repeat(70_000) });
    expect(big.status).toBe(413);
    expect(await inbox()).toMatchObject({ verdict: "rejected", status_code: 413 });
  });

  test("a request signed with a secret we did not have yet is accepted on replay after the secret is fixed", async () => {
    const newSecret = "rotated-secret-value";
    const body = refersionBody({ order_id: "R-REPLAY" });
    const res = await t.request(path(refersion.webhook_url), { method: "POST", body, headers: { "refersion-signature": hmacBase64(newSecret, body) } });
    expect(res.status).toBe(401);
    const { inbox_id } = await res.json();
    await api(t, "PATCH", `/api/admin/integrations/${refersion.id}`, { secret: newSecret });
    const replay = await api(t, "POST", `/api/admin/inbox/${inbox_id}/replay`, {});
    expect(replay.response.status).toBe(200);
    expect(replay.replay).toMatchObject({ verdict: "accepted", replay_of: inbox_id });
    // Replaying again is idempotent: the order is already on file.
    expect((await api(t, "POST", `/api/admin/inbox/${inbox_id}/replay`, {})).replay.verdict).toBe("duplicate");
  });

  test("/api/conv requests are in the inbox too, with the brand key redacted; they cannot be replayed", async () => {
    const res = await t.request("/api/conv", { method: "POST", token: n.brand.liveKey, json: { program_id: n.program.id, brand_order_ref: "INBOX-1", order_value: "1", order_currency: "USD" } });
    expect(res.status).toBe(200);
    const row = await inbox("&provider=postback");
    expect(row).toMatchObject({ verdict: "accepted", headers: { authorization: "[redacted]" } });
    expect(JSON.stringify(row)).not.toContain(n.brand.liveKey);
    await t.request("/api/conv", { method: "POST", token: "lc_live_wrong", json: {} });
    expect(await inbox("&provider=postback")).toMatchObject({ verdict: "rejected", status_code: 401 });
    const replay = await t.request(`/api/admin/inbox/${row.id}/replay`, { method: "POST", token: t.adminToken, json: {} });
    expect(replay.status).toBe(409);
  });

  test("inbox is searchable by provider and verdict and paged", async () => {
    const rejected = await api(t, "GET", "/api/admin/inbox?verdict=rejected&limit=200");
    expect(rejected.data.length).toBeGreaterThan(3);
    expect(rejected.data.every((r: { verdict: string }) => r.verdict === "rejected")).toBe(true);
    expect((await t.request("/api/admin/inbox?verdict=maybe", { token: t.adminToken })).status).toBe(422);
  });
});

describe("integrations API and the test handshake", () => {
  test("starts in test mode: everything it records is test; flipping live is audited", async () => {
    const secret = "handshake-secret-1";
    const integ = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", secret });
    expect(integ.mode).toBe("test");
    expect(JSON.stringify(integ)).not.toContain(secret);
    const b = refersionBody({ order_id: "HS-1" });
    const r1 = await (await t.request(path(integ.webhook_url), { method: "POST", body: b, headers: { "refersion-signature": hmacBase64(secret, b) } })).json();
    expect(r1.test).toBe(true);
    await api(t, "PATCH", `/api/admin/integrations/${integ.id}`, { mode: "live" });
    const audit = await api(t, "GET", `/api/admin/audit?entity_id=${integ.id}`);
    expect(audit.data[0]).toMatchObject({ action: "integration.mode_changed", from_status: "test", to_status: "live", actor_type: "admin" });
    const b2 = refersionBody({ order_id: "HS-2" });
    const r2 = await (await t.request(path(integ.webhook_url), { method: "POST", body: b2, headers: { "refersion-signature": hmacBase64(secret, b2) } })).json();
    expect(r2.test).toBe(false);
  });
  test("secrets are sealed or hashed at rest", async () => {
    const rows = await t.ctx.client.execute("select secret_sealed, secret_hash from integrations");
    const dump = JSON.stringify(rows.rows);
    expect(dump).not.toContain(SECRET);
    expect(dump).not.toContain(GENERIC_SECRET);
  });
  test("rejections: missing credentials per provider, unknown program, bad IPs, no token", async () => {
    const bad = async (json: unknown, field: string) => {
      const res = await t.request("/api/admin/integrations", { method: "POST", token: t.adminToken, json });
      expect(res.status).toBe(422);
      expect(Object.keys((await res.json()).error.fields)).toContain(field);
    };
    await bad({ program_id: n.program.id, provider: "refersion" }, "secret");
    await bad({ program_id: n.program.id, provider: "generic", secret: "12345678" }, "vendor_id");
    await bad({ program_id: n.program.id, provider: "everflow" }, "ip_allowlist");
    await bad({ program_id: n.program.id, provider: "everflow", ip_allowlist: ["not-an-ip"] }, "ip_allowlist.0");
    await bad({ program_id: n.program.id, provider: "impact" }, "basic_user");
    await bad({ program_id: "nope", provider: "refersion", secret: "12345678" }, "program_id");
    await bad({ program_id: n.program.id, provider: "cj", secret: "12345678" }, "provider");
    expect((await t.request("/api/admin/integrations", { method: "POST", json: {} })).status).toBe(401);
  });
});

describe("inbox retention", () => {
  test("rows older than INBOX_RETENTION_DAYS are pruned by the job; newer ones stay", async () => {
    const { pruneInbox } = await import("../../src/integrations/inbox");
    const before = (await api(t, "GET", "/api/admin/inbox?limit=200")).data.length;
    expect(before).toBeGreaterThan(0);
    t.clock.advance(29 * 86_400_000);
    await sendRefersion(refersionBody({ order_id: "KEEP-ME" }));
    t.clock.advance(2 * 86_400_000); // the earlier rows are now 31 days old
    const r = await pruneInbox(t.ctx);
    expect(r.done).toBe(before);
    const left = (await api(t, "GET", "/api/admin/inbox?limit=200")).data;
    expect(left.length).toBe(1);
    expect((await pruneInbox(t.ctx)).done).toBe(0);
  });
});
