import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { sessions, users } from "../../src/db/schema";
import { DAY_MS } from "../../src/shared/clock";
import { makeTestApp, type TestApp } from "../helpers/app";
import { csrfOf, form, FORM, login, makeUser } from "../helpers/console";
import { api, makeBrand, makePublisher } from "../helpers/factories";

// Accounts through the real app: users API, invites, login + throttle, sessions, CSRF, the role guard.
let t: TestApp;
let brandId = "", publisherId = "";
const INCORRECT = "Email or password is incorrect.";

beforeAll(async () => {
  t = await makeTestApp({ LOGIN_MAX_FAILURES: "3", LOGIN_DELAY_MS: "0" });
  brandId = (await makeBrand(t)).id;
  publisherId = (await makePublisher(t, "Trail Blog")).id;
  await makeUser(t, "admin@net.example", "admin");
  await makeUser(t, "brand@acme.example", "brand", { brand_id: brandId });
  await makeUser(t, "pub@trail.example", "publisher", { publisher_id: publisherId });
});
afterAll(() => t.close());

const userCount = async () => (await t.ctx.db.select().from(users)).length;

describe("users API", () => {
  test("creates a user with a one-time invite URL; lists users without password hashes", async () => {
    const res = await t.request("/api/admin/users", { method: "POST", token: t.adminToken, json: { email: "New.Person@Net.example", role: "admin" } });
    expect(res.status).toBeLessThan(300);
    const body = await res.json() as { id: string; invite_url: string };
    expect(body.invite_url).toMatch(/^https:\/\/track\.test\/invite\/[A-Za-z0-9_-]{40,}$/);
    const list = await api(t, "GET", "/api/admin/users");
    const row = list.data.find((u: { id: string }) => u.id === body.id);
    expect(row).toMatchObject({ email: "new.person@net.example", role: "admin", status: "active", has_password: false });
    expect(JSON.stringify(list)).not.toContain("argon2");
  });

  test("an email is taken once whatever its case -> 409, nothing added", async () => {
    const before = await userCount();
    const res = await t.request("/api/admin/users", { method: "POST", token: t.adminToken, json: { email: "ADMIN@net.example", role: "admin" } });
    expect(res.status).toBe(409);
    expect(await userCount()).toBe(before);
  });

  test.each([
    [{ email: "x@y.example", role: "brand" }, "brand_id"],
    [{ email: "x@y.example", role: "publisher" }, "publisher_id"],
    [{ email: "x@y.example", role: "brand", brand_id: "no-such-brand" }, "brand_id"],
    [{ email: "not-an-email", role: "admin" }, "email"],
    [{ email: "x@y.example", role: "root" }, "role"],
  ])("rejects %p with a field error on %s", async (json, field) => {
    const before = await userCount();
    const res = await t.request("/api/admin/users", { method: "POST", token: t.adminToken, json });
    expect(res.status).toBe(422);
    expect((await res.json() as { error: { fields: Record<string, string[]> } }).error.fields[field]).toBeDefined();
    expect(await userCount()).toBe(before);
  });

  test("needs the admin token (a brand key is not enough)", async () => {
    const brand = await makeBrand(t, "Other");
    expect((await t.request("/api/admin/users")).status).toBe(401);
    expect((await t.request("/api/admin/users", { token: brand.liveKey })).status).toBe(401);
  });

  test("DELETE removes the user and ends its sessions at once", async () => {
    const { id } = await makeUser(t, "leaver@net.example", "admin");
    const { cookie } = await login(t, "leaver@net.example");
    expect((await t.request("/admin", { headers: { cookie } })).status).toBe(200);
    expect((await t.request(`/api/admin/users/${id}`, { method: "DELETE", token: t.adminToken })).status).toBe(200);
    expect((await t.ctx.db.select().from(sessions).where(eq(sessions.userId, id))).length).toBe(0);
    const after = await t.request("/admin", { headers: { cookie } });
    expect(after.status).toBe(302);
    expect((await t.request(`/api/admin/users/${id}`, { method: "DELETE", token: t.adminToken })).status).toBe(404);
  });

  test("disabling a user ends its sessions; it can no longer sign in (same message as a wrong password)", async () => {
    const { id } = await makeUser(t, "paused@net.example", "admin");
    const { cookie } = await login(t, "paused@net.example");
    await api(t, "PATCH", `/api/admin/users/${id}`, { status: "disabled" });
    expect((await t.request("/admin", { headers: { cookie } })).status).toBe(302);
    const again = await login(t, "paused@net.example");
    expect(again.res.status).toBe(401);
    expect(await again.res.text()).toContain(INCORRECT);
  });
});

describe("invites", () => {
  test("unknown token -> 404 page; nothing else said", async () => {
    const res = await t.request("/invite/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("not valid");
  });

  test("a used invite -> 410, and its password is not changed by a second submit", async () => {
    const { invitePath } = await makeUser(t, "once@net.example", "admin");
    const res = await t.request(invitePath, { method: "POST", headers: FORM, body: form({ password: "another password!", confirm: "another password!" }) });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("already been used");
    expect((await login(t, "once@net.example", "another password!")).res.status).toBe(401);
    expect((await login(t, "once@net.example")).res.status).toBe(303);
  });

  test("an invite older than 7 days -> 410 expired", async () => {
    const u = await api(t, "POST", "/api/admin/users", { email: "late@net.example", role: "admin" });
    t.clock.advance(7 * DAY_MS + 1);
    try {
      const path = new URL(u.invite_url).pathname;
      expect((await t.request(path)).status).toBe(410);
      const res = await t.request(path, { method: "POST", headers: FORM, body: form({ password: "long enough pass", confirm: "long enough pass" }) });
      expect(res.status).toBe(410);
      expect(await res.text()).toContain("expired");
    } finally {
      t.clock.advance(-(7 * DAY_MS + 1));
    }
  });

  test("short or mismatched passwords -> 422 with the error next to the field; the invite stays usable", async () => {
    const u = await api(t, "POST", "/api/admin/users", { email: "careful@net.example", role: "admin" });
    const path = new URL(u.invite_url).pathname;
    let res = await t.request(path, { method: "POST", headers: FORM, body: form({ password: "short", confirm: "short" }) });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-password-err">must be at least 10 characters/);
    res = await t.request(path, { method: "POST", headers: FORM, body: form({ password: "long enough pass", confirm: "long enough pasS" }) });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-confirm-err">does not match/);
    res = await t.request(path, { method: "POST", headers: FORM, body: form({ password: "long enough pass", confirm: "long enough pass" }) });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
  });

  test("reset: a fresh link replaces the older one", async () => {
    const u = await api(t, "POST", "/api/admin/users", { email: "forgetful@net.example", role: "admin" });
    const { resetPassword } = await import("../../src/auth/users/reset-password");
    const { SYSTEM } = await import("../../src/auth/authenticate");
    const fresh = await resetPassword(t.ctx, SYSTEM, "Forgetful@net.example");
    expect((await t.request(new URL(u.invite_url).pathname)).status).toBe(404);
    expect((await t.request(new URL(fresh.invite_url).pathname)).status).toBe(200);
  });
});

describe("login", () => {
  test("each role lands on its home; the cookie is HttpOnly, SameSite=Lax, Path=/, Secure behind https", async () => {
    for (const [email, home] of [["admin@net.example", "/admin"], ["brand@acme.example", "/dashboard/brand"], ["pub@trail.example", "/dashboard/publisher"]] as const) {
      const { res, setCookie, cookie } = await login(t, email);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(home);
      expect(setCookie).toMatch(/^lc_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000; Secure$/);
      expect((await t.request(home, { headers: { cookie } })).status).toBe(200);
    }
  });

  test("plain http public URL: no Secure flag", async () => {
    const h = await makeTestApp({ PUBLIC_URL: "http://track.test" });
    try {
      await makeUser(h, "a@b.example", "admin");
      const { setCookie } = await login(h, "a@b.example");
      expect(setCookie).toContain("HttpOnly; SameSite=Lax");
      expect(setCookie).not.toContain("Secure");
    } finally { await h.close(); }
  });

  test("wrong password and unknown email get the same answer", async () => {
    const wrong = await login(t, "brand@acme.example", "not the password", "", { "x-forwarded-for": "198.51.100.1" });
    const unknown = await login(t, "nobody@acme.example", "not the password");
    for (const r of [wrong, unknown]) {
      expect(r.res.status).toBe(401);
      expect(r.cookie).toBe("");
      expect(await r.res.text()).toContain(INCORRECT);
    }
  });

  test("locks an account after N failures, even for the right password, and unknown emails alike; the lock ends", async () => {
    await makeUser(t, "target@net.example", "admin");
    for (let i = 0; i < 3; i++) expect((await login(t, "target@net.example", `guess ${i}`)).res.status).toBe(401);
    const locked = await login(t, "target@net.example");
    expect(locked.res.status).toBe(429);
    expect(locked.cookie).toBe("");
    expect(await locked.res.text()).toContain("Too many attempts, try again in 15 minutes.");
    for (let i = 0; i < 3; i++) await login(t, "ghost@net.example", `guess ${i}`);
    const ghost = await login(t, "ghost@net.example", "x");
    expect(ghost.res.status).toBe(429);
    expect(await ghost.res.text()).toContain("Too many attempts, try again in 15 minutes.");
    t.clock.advance(15 * 60_000);
    try {
      expect((await login(t, "target@net.example")).res.status).toBe(303);
    } finally { t.clock.advance(-15 * 60_000); }
  });

  test("locks an IP that tries many accounts (5 x N failures)", async () => {
    const ip = { peer: "203.0.113.9" };
    for (let i = 0; i < 15; i++) {
      const res = await t.request("/login", { method: "POST", headers: FORM, body: form({ email: `spray${i}@net.example`, password: "x" }), ...ip });
      expect(res.status).toBe(401);
    }
    const res = await t.request("/login", { method: "POST", headers: FORM, body: form({ email: "admin@net.example", password: "correct horse battery" }), ...ip });
    expect(res.status).toBe(429);
    const other = await t.request("/login", { method: "POST", headers: FORM, body: form({ email: "admin@net.example", password: "correct horse battery" }), peer: "203.0.113.10" });
    expect(other.status).toBe(303);
  });

  test("failures from the third on are slowed progressively", async () => {
    const { logIn } = await import("../../src/auth/users/log-in");
    const slow = await makeTestApp({ LOGIN_MAX_FAILURES: "10", LOGIN_DELAY_MS: "100" });
    try {
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) await logIn(slow.ctx, { email: "who@x.example", password: "x", ip: null }, async (ms) => { waits.push(ms); });
      expect(waits).toEqual([100, 200, 400]);
    } finally { await slow.close(); }
  });

  test.each([
    ["//evil.example/x"], ["https://evil.example/"], ["/\\evil.example"], ["javascript:alert(1)"], ["%2F%2Fevil.example"],
  ])("next=%s is ignored (no open redirect): lands on the role's home", async (next) => {
    const { res } = await login(t, "admin@net.example", undefined, `?next=${encodeURIComponent(next)}`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
  });

  test("next= to a same-origin path is followed", async () => {
    const { res } = await login(t, "admin@net.example", undefined, `?next=${encodeURIComponent("/admin/users?sort=email")}`);
    expect(res.headers.get("location")).toBe("/admin/users?sort=email");
  });

  test("a new login rotates the session: the browser's previous session row is deleted", async () => {
    const first = await login(t, "brand@acme.example");
    // Signed in, the browser's login form carries the session's CSRF token; without it the post is refused.
    const csrf = await csrfOf(t, first.cookie, "/login");
    const refused = await t.request("/login", { method: "POST", headers: { ...FORM, cookie: first.cookie }, body: form({ email: "brand@acme.example", password: "correct horse battery" }) });
    expect(refused.status).toBe(403);
    const res = await t.request("/login", { method: "POST", headers: { ...FORM, cookie: first.cookie }, body: form({ _csrf: csrf, email: "brand@acme.example", password: "correct horse battery" }) });
    expect(res.status).toBe(303);
    const second = { cookie: /lc_session=[^;]+/.exec(res.headers.get("set-cookie")!)![0] };
    expect(second.cookie).not.toBe(first.cookie);
    expect((await t.request("/dashboard/brand", { headers: { cookie: first.cookie } })).status).toBe(302);
    expect((await t.request("/dashboard/brand", { headers: { cookie: second.cookie } })).status).toBe(200);
  });

  test("sliding expiry: active sessions live on past 30 days, idle ones end", async () => {
    const active = await login(t, "brand@acme.example");
    const idle = await login(t, "brand@acme.example");
    const start = t.clock.now();
    try {
      t.clock.advance(20 * DAY_MS);
      expect((await t.request("/dashboard/brand", { headers: { cookie: active.cookie } })).status).toBe(200);
      t.clock.advance(15 * DAY_MS);
      expect((await t.request("/dashboard/brand", { headers: { cookie: active.cookie } })).status).toBe(200);
      expect((await t.request("/dashboard/brand", { headers: { cookie: idle.cookie } })).status).toBe(302);
    } finally { t.clock.set(start); }
  });
});

describe("guard and CSRF", () => {
  test("no session: a page redirects to /login with next; an htmx request gets 401 and HX-Redirect", async () => {
    const res = await t.request("/admin/users?sort=email");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?next=%2Fadmin%2Fusers%3Fsort%3Demail");
    const hx = await t.request("/admin/users", { headers: { "hx-request": "true" } });
    expect(hx.status).toBe(401);
    expect(hx.headers.get("hx-redirect")).toBe("/login?next=%2Fadmin%2Fusers");
  });

  test("one view: the full page, or the fragment for an htmx request", async () => {
    const { cookie } = await login(t, "admin@net.example");
    const full = await (await t.request("/admin/users", { headers: { cookie } })).text();
    expect(full).toStartWith("<!doctype html>");
    expect(full).toContain('hx-headers="{&quot;X-CSRF-Token&quot;:');
    expect(full).toMatch(/<a href="\/admin\/users" aria-current="page">Users<\/a>/);
    const fragment = await (await t.request("/admin/users", { headers: { cookie, "hx-request": "true" } })).text();
    expect(fragment).not.toContain("<html");
    expect(fragment).not.toContain("mainnav");
    expect(fragment).toContain("<h1>Users</h1>");
  });

  test("a forged or unknown cookie is no session", async () => {
    expect((await t.request("/admin", { headers: { cookie: "lc_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } })).status).toBe(302);
  });

  test("a brand user opening admin pages -> 403 page; a publisher user the brand overview -> 403", async () => {
    const brand = await login(t, "brand@acme.example");
    for (const path of ["/admin/users", "/admin"]) {
      const res = await t.request(path, { headers: { cookie: brand.cookie } });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("Not allowed");
    }
    const pub = await login(t, "pub@trail.example");
    expect((await t.request("/dashboard/brand", { headers: { cookie: pub.cookie } })).status).toBe(403);
    const csrf = await csrfOf(t, brand.cookie);
    const before = await userCount();
    const res = await t.request("/admin/users", { method: "POST", headers: { ...FORM, cookie: brand.cookie }, body: form({ _csrf: csrf, email: "sneaky@x.example", role: "admin" }) });
    expect(res.status).toBe(403);
    expect(await userCount()).toBe(before);
  });

  test("invite from the console: missing or wrong CSRF -> 403 and nothing created; the right token (field or header) works", async () => {
    const { cookie } = await login(t, "admin@net.example");
    const csrf = await csrfOf(t, cookie, "/admin/users");
    const before = await userCount();
    for (const body of [form({ email: "c1@x.example", role: "admin" }), form({ _csrf: "wrong", email: "c1@x.example", role: "admin" })]) {
      const res = await t.request("/admin/users", { method: "POST", headers: { ...FORM, cookie }, body });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("security token");
    }
    expect(await userCount()).toBe(before);
    const ok = await t.request("/admin/users", { method: "POST", headers: { ...FORM, cookie, "x-csrf-token": csrf }, body: form({ email: "c1@x.example", role: "admin" }) });
    expect(ok.status).toBe(201);
    const page = await ok.text();
    expect(page).toMatch(/id="invite-url" readonly value="https:\/\/track\.test\/invite\/[A-Za-z0-9_-]+"/);
    expect(await userCount()).toBe(before + 1);
    // Shown once: the list page does not carry it.
    expect(await (await t.request("/admin/users", { headers: { cookie } })).text()).not.toContain("/invite/");
  });

  test("console invite form errors sit next to their fields", async () => {
    const { cookie } = await login(t, "admin@net.example");
    const csrf = await csrfOf(t, cookie, "/admin/users");
    const res = await t.request("/admin/users", { method: "POST", headers: { ...FORM, cookie }, body: form({ _csrf: csrf, email: "c2@x.example", role: "brand" }) });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-brand_id-err">is required for a brand user/);
    const dup = await t.request("/admin/users", { method: "POST", headers: { ...FORM, cookie }, body: form({ _csrf: csrf, email: "ADMIN@net.example", role: "admin" }) });
    expect(dup.status).toBe(409);
    expect(await dup.text()).toMatch(/id="f-email-err">A user with this email already exists/);
  });

  test("logout needs the CSRF token; without it the session survives", async () => {
    const { cookie } = await login(t, "admin@net.example");
    expect((await t.request("/logout", { method: "POST", headers: { ...FORM, cookie }, body: "" })).status).toBe(403);
    expect((await t.request("/admin", { headers: { cookie } })).status).toBe(200);
    const csrf = await csrfOf(t, cookie);
    const out = await t.request("/logout", { method: "POST", headers: { ...FORM, cookie }, body: form({ _csrf: csrf }) });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toContain("lc_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    expect((await t.request("/admin", { headers: { cookie } })).status).toBe(302);
  });

  test("a state change posted from another origin is refused, even the login form", async () => {
    const res = await t.request("/login", { method: "POST", headers: { ...FORM, origin: "https://evil.example" }, body: form({ email: "admin@net.example", password: "correct horse battery" }) });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  test("admin deletes a user from the console (CSRF); cannot delete itself", async () => {
    const { id } = await makeUser(t, "gone@net.example", "admin");
    const { cookie } = await login(t, "admin@net.example");
    const csrf = await csrfOf(t, cookie, "/admin/users");
    expect((await t.request(`/admin/users/${id}/delete`, { method: "POST", headers: { ...FORM, cookie }, body: "" })).status).toBe(403);
    const res = await t.request(`/admin/users/${id}/delete`, { method: "POST", headers: { ...FORM, cookie }, body: form({ _csrf: csrf }) });
    expect(res.status).toBe(303);
    expect((await t.ctx.db.select().from(users).where(eq(users.id, id))).length).toBe(0);
    const [me] = await t.ctx.db.select().from(users).where(eq(users.email, "admin@net.example"));
    const self = await t.request(`/admin/users/${me!.id}/delete`, { method: "POST", headers: { ...FORM, cookie }, body: form({ _csrf: csrf }) });
    expect(self.status).toBe(409);
    expect((await t.ctx.db.select().from(users).where(eq(users.id, me!.id))).length).toBe(1);
  });

  test("change password: wrong current -> 422 beside the field; right one changes it and ends other sessions", async () => {
    await makeUser(t, "changer@net.example", "admin");
    const a = await login(t, "changer@net.example");
    const b = await login(t, "changer@net.example");
    const csrf = await csrfOf(t, a.cookie);
    const bad = await t.request("/account", { method: "POST", headers: { ...FORM, cookie: a.cookie }, body: form({ _csrf: csrf, current: "nope nope nope", password: "brand new password", confirm: "brand new password" }) });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/id="f-current-err">is not your current password/);
    const ok = await t.request("/account", { method: "POST", headers: { ...FORM, cookie: a.cookie }, body: form({ _csrf: csrf, current: "correct horse battery", password: "brand new password", confirm: "brand new password" }) });
    expect(ok.status).toBe(303);
    expect((await t.request("/admin", { headers: { cookie: a.cookie } })).status).toBe(200);
    expect((await t.request("/admin", { headers: { cookie: b.cookie } })).status).toBe(302);
    expect((await login(t, "changer@net.example", "brand new password")).res.status).toBe(303);
  });
});

describe("publisher signup", () => {
  test("closed by default: 404 page, nothing created", async () => {
    const before = await userCount();
    expect((await t.request("/signup")).status).toBe(404);
    const res = await t.request("/signup", { method: "POST", headers: FORM, body: form({ name: "X", email: "x@pub.example", password: "long enough pass", confirm: "long enough pass" }) });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Signup is closed");
    expect(await userCount()).toBe(before);
  });

  test("open: pending publisher + user; pending page until an admin approves; names are escaped", async () => {
    const { putNetworkSettings } = await import("../../src/settings/network-settings");
    await putNetworkSettings(t.ctx, { openSignup: true });
    try {
      const bad = await t.request("/signup", { method: "POST", headers: FORM, body: form({ name: "", email: "nope", password: "short", confirm: "x" }) });
      expect(bad.status).toBe(422);
      const text = await bad.text();
      for (const f of ["name", "email", "password"]) expect(text).toContain(`id="f-${f}-err"`);
      const res = await t.request("/signup", { method: "POST", headers: FORM, body: form({ name: "<script>alert(1)</script> Blog", email: "new@pub.example", password: "long enough pass", confirm: "long enough pass" }) });
      expect(res.status).toBe(303);
      const cookie = /lc_session=[^;]+/.exec(res.headers.get("set-cookie")!)![0];
      const pending = await t.request("/dashboard/publisher", { headers: { cookie } });
      expect(pending.status).toBe(403);
      expect(await pending.text()).toContain("pending approval");
      const admin = await login(t, "admin@net.example");
      const page = await (await t.request("/admin/users", { headers: { cookie: admin.cookie } })).text();
      expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Blog");
      expect(page).not.toContain("<script>alert(1)");
      const [u] = await t.ctx.db.select().from(users).where(eq(users.email, "new@pub.example"));
      await api(t, "PATCH", `/api/admin/users/${u!.id}`, { status: "active" });
      expect((await t.request("/dashboard/publisher", { headers: { cookie } })).status).toBe(200);
      const pub = await api(t, "GET", `/api/admin/publishers/${u!.publisherId}`);
      expect(pub.status).toBe("active");
    } finally {
      await putNetworkSettings(t.ctx, { openSignup: false });
    }
  });
});

describe("assets", () => {
  test("htmx with its SSE extension is served from the app", async () => {
    const res = await t.request("/public/htmx.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    const js = await res.text();
    expect(js.length).toBeGreaterThan(20_000);
    expect(js).toContain("sse");
  });
});
