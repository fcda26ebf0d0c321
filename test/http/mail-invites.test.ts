import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { SYSTEM } from "../../src/auth/authenticate";
import { resetPassword } from "../../src/auth/users/reset-password";
import { integrations, publishers } from "../../src/db/schema";
import { deliverMail } from "../../src/mail/deliver";
import { makeTestApp, type TestApp } from "../helpers/app";
import { csrfOf, form, FORM, login, makeUser } from "../helpers/console";
import { api, makeBrand, makeProgram, postback } from "../helpers/factories";
import { startSmtpSink } from "../helpers/smtp-sink";

// SPEC §9 Mail: with SMTP_URL, invites (new user, password reset, signup
// approval) and reconciliation reports are queued in the transaction that makes
// them and sent from the outbox to a real local SMTP server. Without SMTP_URL
// nothing is queued and nothing fails.
let t: TestApp;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await makeTestApp({ SMTP_URL: sink.url, MAIL_FROM: "Net <ops@net.example>" });
});
afterAll(async () => { await t.close(); await sink.close(); });

const outbox = async (kind: string) => (await t.ctx.client.execute({ sql: "SELECT to_address, status, body, last_error FROM mail_outbox WHERE kind = ? ORDER BY created_at, id", args: [kind] })).rows.map((r) => ({ ...r }) as Record<string, unknown>);
const mailTo = (to: string) => sink.received.filter((m) => m.to === to);

describe("invites", () => {
  test("a new user gets the one-time link by mail; the admin still sees it; the stored copy loses the link once sent", async () => {
    const u = await api(t, "POST", "/api/admin/users", { email: "New.Admin@Net.example", role: "admin" });
    expect(u.invite_url).toStartWith(`${t.ctx.config.PUBLIC_URL}/invite/`);
    const queued = await outbox("invite");
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ to_address: "new.admin@net.example", status: "pending" });
    expect(await deliverMail(t.ctx)).toMatchObject({ done: 1, failures: 0 });
    const [mail] = mailTo("new.admin@net.example");
    expect(mail!.text).toContain(u.invite_url);
    expect(mail!.subject).toBe("Your Lastclick account");
    const [sent] = await outbox("invite");
    expect(sent!.status).toBe("sent");
    expect(String(sent!.body)).not.toContain(new URL(u.invite_url).pathname);
    expect(String(sent!.body)).toContain("/invite/[sent]");
    // the mailed link works
    const path = new URL(u.invite_url).pathname;
    expect((await t.request(path)).status).toBe(200);
    expect((await t.request(path, { method: "POST", headers: FORM, body: form({ password: "correct horse battery", confirm: "correct horse battery" }) })).status).toBe(303);
  }, 30_000);

  test("a reset mails the new link; a link replaced before it went out is never sent", async () => {
    await makeUser(t, "pub@net.example", "admin");
    sink.received.length = 0;
    await t.ctx.client.execute("DELETE FROM mail_outbox");
    // makeUser used its invite; two resets in a row (as `lastclick user reset-password` calls it): only the newest link is mailed.
    const first = await resetPassword(t.ctx, SYSTEM, "pub@net.example");
    const second = await resetPassword(t.ctx, SYSTEM, "pub@net.example");
    expect(await deliverMail(t.ctx)).toMatchObject({ done: 1, failures: 1 });
    const mails = mailTo("pub@net.example");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Set a new Lastclick password");
    expect(mails[0]!.text).toContain(second.invite_url);
    expect(mails[0]!.text).not.toContain(first.invite_url);
    const rows = await outbox("invite");
    expect(rows.map((r) => r.status)).toEqual(["dead", "sent"]);
    expect(rows[0]!.last_error).toBe("not sent: a newer invite link replaced this one");
    expect(rows.every((r) => !String(r.body).includes(new URL(first.invite_url).pathname))).toBe(true);
  }, 30_000);

  test("a self-signed-up publisher is told by mail when approved, once", async () => {
    await makeUser(t, "boss@net.example", "admin");
    const cookie = (await login(t, "boss@net.example")).cookie;
    const csrf = await csrfOf(t, cookie, "/admin/publishers");
    const { putNetworkSettings } = await import("../../src/settings/network-settings");
    await putNetworkSettings(t.ctx, { openSignup: true, networkName: "Trail <Net>" });
    const signup = await t.request("/signup", { method: "POST", headers: FORM, body: form({ name: "New Pub", email: "new@pub.example", password: "correct horse battery", confirm: "correct horse battery" }) });
    expect(signup.status).toBeLessThan(400);
    const [p] = await t.ctx.db.select().from(publishers).where(eq(publishers.name, "New Pub"));
    expect(await outbox("approval")).toHaveLength(0);
    // without the CSRF token: refused, nothing queued
    expect((await t.request(`/admin/publishers/${p!.id}/approve`, { method: "POST", headers: { ...FORM, cookie }, body: "" })).status).toBe(403);
    expect(await outbox("approval")).toHaveLength(0);
    for (let i = 0; i < 2; i++) {
      expect((await t.request(`/admin/publishers/${p!.id}/approve`, { method: "POST", headers: { ...FORM, cookie }, body: form({ _csrf: csrf }) })).status).toBe(303);
    }
    expect(await outbox("approval")).toHaveLength(1);
    await deliverMail(t.ctx);
    const [mail] = mailTo("new@pub.example");
    expect(mail!.subject).toBe("Your Trail <Net> publisher account is approved");
    expect(mail!.text).toContain(`${t.ctx.config.PUBLIC_URL}/login`);
  }, 30_000);
});

describe("reconciliation reports", () => {
  let program: { id: string };
  let brand: Awaited<ReturnType<typeof makeBrand>>;
  const upload = (integrationId: string) => {
    const f = new FormData();
    f.set("integration_id", integrationId);
    f.set("period", "2026-11");
    f.set("file", new Blob(["order_id,amount,currency,status\nR1,100.00,USD,approved\nR9,30.00,USD,approved\n"], { type: "text/csv" }), "report.csv");
    return t.request("/api/admin/reconciliations", { method: "POST", token: t.adminToken, body: f });
  };

  beforeAll(async () => {
    brand = await makeBrand(t, "Acme");
    program = await makeProgram(t, brand.id);
    t.clock.set(Date.UTC(2026, 10, 10));
    const { conversion } = await (await postback(t, brand.liveKey, { program_id: program.id, brand_order_ref: "R1", order_value: "100.00", order_currency: "USD" })).json();
    await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`);
    t.clock.set(Date.UTC(2026, 11, 2));
  });

  test("contact_email: set on create, changed and cleared by PATCH, a bad one refused", async () => {
    const bad = await t.request("/api/admin/integrations", { method: "POST", token: t.adminToken, json: { program_id: program.id, provider: "generic", secret: "generic-secret-0123456789", vendor_id: "v-0", contact_email: "nope" } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.fields.contact_email).toBeDefined();
    const i = await api(t, "POST", "/api/admin/integrations", { program_id: program.id, provider: "generic", secret: "generic-secret-0123456789", vendor_id: "v-1", contact_email: "recon@acme.example" });
    expect(i.contact_email).toBe("recon@acme.example");
    expect((await api(t, "PATCH", `/api/admin/integrations/${i.id}`, { contact_email: "ops@acme.example" })).contact_email).toBe("ops@acme.example");
    expect((await api(t, "PATCH", `/api/admin/integrations/${i.id}`, { contact_email: null })).contact_email).toBeNull();
    expect((await t.request(`/api/admin/integrations/${i.id}`, { method: "PATCH", token: t.adminToken, json: { contact_email: "x@" } })).status).toBe(422);
  });

  test("a run mails the report with its CSV to the integration's contact; without a contact nothing is queued", async () => {
    const withContact = await api(t, "POST", "/api/admin/integrations", { program_id: program.id, provider: "generic", secret: "generic-secret-0123456789", vendor_id: "v-2", contact_email: "recon@acme.example" });
    const without = await api(t, "POST", "/api/admin/integrations", { program_id: program.id, provider: "generic", secret: "generic-secret-0123456789", vendor_id: "v-3" });
    expect((await upload(without.id)).status).toBe(200);
    expect(await outbox("reconciliation")).toHaveLength(0);
    const res = await upload(withContact.id);
    expect(res.status).toBe(200);
    expect((await res.json()).totals).toMatchObject({ matched: 1, missing_here: 1 });
    expect(await outbox("reconciliation")).toMatchObject([{ to_address: "recon@acme.example", status: "pending" }]);
    await deliverMail(t.ctx);
    const [mail] = mailTo("recon@acme.example");
    expect(mail!.subject).toBe("Reconciliation generic 2026-11: 1 matched, 1 to check");
    expect(mail!.text).toContain("missing_here: 1");
    expect(mail!.attachments.map((a) => [a.filename, a.contentType])).toEqual([["reconciliation-generic-2026-11.csv", "text/csv"]]);
    const csv = mail!.attachments[0]!.content.toString();
    expect(csv).toContain("verdict,order_id");
    expect(csv).toContain("matched,R1");
    expect(csv).toContain("missing_here,R9");
  });

  test("console: the integration form stores the contact email; a bad one is refused next to the field", async () => {
    await makeUser(t, "form@net.example", "admin");
    const cookie = (await login(t, "form@net.example")).cookie;
    const csrf = await csrfOf(t, cookie, "/admin/integrations");
    const page = await (await t.request("/admin/integrations", { headers: { cookie } })).text();
    expect(page).toContain('name="contact_email"');
    const body = { _csrf: csrf, program_id: program.id, provider: "refersion", mode: "test", secret: "refersion-secret-123" };
    const count = async () => (await t.ctx.db.select().from(integrations)).length;
    const before = await count();
    const bad = await t.request("/admin/integrations", { method: "POST", headers: { ...FORM, cookie }, body: form({ ...body, contact_email: "not an email" }) });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/id="f-contact_email-err"/);
    expect(await count()).toBe(before);
    expect((await t.request("/admin/integrations", { method: "POST", headers: { ...FORM, cookie }, body: form({ ...body, contact_email: "finance@acme.example" }) })).status).toBe(201);
    const rows = await t.ctx.db.select().from(integrations).where(eq(integrations.contactEmail, "finance@acme.example"));
    expect(rows).toHaveLength(1);
  }, 30_000);
});

describe("without SMTP_URL", () => {
  let plain: TestApp;
  beforeAll(async () => { plain = await makeTestApp(); });
  afterAll(() => plain.close());

  test("users and reports work; nothing is queued", async () => {
    const u = await api(plain, "POST", "/api/admin/users", { email: "a@b.example", role: "admin" });
    expect(u.invite_url).toContain("/invite/");
    const brand = await makeBrand(plain, "B");
    const program = await makeProgram(plain, brand.id);
    const i = await api(plain, "POST", "/api/admin/integrations", { program_id: program.id, provider: "generic", secret: "generic-secret-0123456789", vendor_id: "v", contact_email: "r@b.example" });
    const f = new FormData();
    f.set("integration_id", i.id); f.set("period", "2026-11"); f.set("file", new Blob(["order_id,amount,currency,status\nX,1.00,USD,approved\n"], { type: "text/csv" }), "r.csv");
    expect((await plain.request("/api/admin/reconciliations", { method: "POST", token: plain.adminToken, body: f })).status).toBe(200);
    expect((await plain.ctx.client.execute("SELECT count(*) AS n FROM mail_outbox")).rows[0]!.n).toBe(0);
  });
});
