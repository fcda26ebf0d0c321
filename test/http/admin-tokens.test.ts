import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { seedDemo } from "../../src/demo";
import { makeTestApp, T0, type TestApp } from "../helpers/app";
import { api } from "../helpers/factories";

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(() => t.close());

const send = (method: string, path: string, token: string, json?: unknown) => t.request(path, { method, token, json });
const tokenRow = async (name: string) => (await api(t, "GET", "/api/admin/tokens")).data.find((r: { name: string }) => r.name === name);

describe("admin tokens over the API", () => {
  test("create answers 201 with the token once; list shows name and times, never the token or its hash", async () => {
    const res = await send("POST", "/api/admin/tokens", t.adminToken, { name: "ci deploy" });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ name: "ci deploy", created_at: new Date(T0).toISOString() });
    expect(created.token).toStartWith("lc_admin_");
    expect((await send("GET", "/api/admin/brands", created.token)).status).toBe(200);

    const listRes = await send("GET", "/api/admin/tokens", t.adminToken);
    const text = await listRes.text();
    expect(text).not.toContain(created.token);
    expect(text).not.toContain("hash");
    const names = JSON.parse(text).data.map((r: { name: string }) => r.name);
    expect(names).toEqual(["test", "ci deploy"]);
    expect(Object.keys(JSON.parse(text).data[1]).sort()).toEqual(["created_at", "id", "last_used_at", "name", "revoked_at"]);
  });

  test("last used: set on first use, then written at most once a minute", async () => {
    const { token } = await api(t, "POST", "/api/admin/tokens", { name: "usage" });
    expect((await tokenRow("usage")).last_used_at).toBeNull();
    const use = async () => expect((await send("GET", "/api/admin/brands", token)).status).toBe(200);
    await use();
    expect((await tokenRow("usage")).last_used_at).toBe(new Date(t.clock.now()).toISOString());
    const first = t.clock.now();
    t.clock.advance(59_000);
    await use();
    expect((await tokenRow("usage")).last_used_at).toBe(new Date(first).toISOString());
    t.clock.advance(1_000);
    await use();
    expect((await tokenRow("usage")).last_used_at).toBe(new Date(first + 60_000).toISOString());
  });

  test("revoke: refused from the very next request; repeating it is a no-op with the same time", async () => {
    const { id, token } = await api(t, "POST", "/api/admin/tokens", { name: "leaked" });
    expect((await send("GET", "/api/admin/tokens", token)).status).toBe(200);
    const res = await send("DELETE", `/api/admin/tokens/${id}`, t.adminToken);
    expect(res.status).toBe(200);
    const revoked = await res.json();
    expect(revoked).toMatchObject({ id, name: "leaked", revoked_at: new Date(t.clock.now()).toISOString() });
    const refused = await send("GET", "/api/admin/tokens", token);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("unauthorized");
    t.clock.advance(5_000);
    expect(await api(t, "DELETE", `/api/admin/tokens/${id}`)).toEqual(revoked);
    const audit = await api(t, "GET", `/api/admin/audit?entity_id=${id}`);
    expect(audit.data.map((a: { action: string }) => a.action).sort()).toEqual(["admin_token.created", "admin_token.revoked"]);
  });

  test("a token can revoke itself; the next call with it is 401", async () => {
    const { id, token } = await api(t, "POST", "/api/admin/tokens", { name: "self" });
    expect((await send("DELETE", `/api/admin/tokens/${id}`, token)).status).toBe(200);
    expect((await send("GET", "/api/admin/tokens", token)).status).toBe(401);
  });

  test.each([
    ["unknown id", "DELETE", "/api/admin/tokens/nope", undefined, 404],
    ["empty name", "POST", "/api/admin/tokens", { name: "" }, 422],
    ["name with a newline", "POST", "/api/admin/tokens", { name: "a\nb" }, 422],
    ["extra field", "POST", "/api/admin/tokens", { name: "ok", admin: true }, 422],
  ])("rejects %s, creates nothing", async (_n, method, path, json, status) => {
    const before = (await api(t, "GET", "/api/admin/tokens")).data.length;
    expect((await send(method, path, t.adminToken, json)).status).toBe(status);
    expect((await api(t, "GET", "/api/admin/tokens")).data.length).toBe(before);
  });

  test("a brand key cannot list, create or revoke admin tokens", async () => {
    const brand = await api(t, "POST", "/api/admin/brands", { name: "B" });
    const { key } = await api(t, "POST", `/api/admin/brands/${brand.id}/api-keys`, { mode: "live" });
    const own = await tokenRow("test");
    for (const [m, p, j] of [["GET", "/api/admin/tokens"], ["POST", "/api/admin/tokens", { name: "x" }], ["DELETE", `/api/admin/tokens/${own.id}`]] as const) {
      expect((await send(m, p, key, j)).status).toBe(401);
    }
    expect((await tokenRow("test")).revoked_at).toBeNull();
  });
});

describe("demo does not mint a token on every run", () => {
  test("first run mints and prints; later runs print none and keep one token; --new-keys rotates", async () => {
    const first = await seedDemo(t.ctx);
    expect(first.keys?.adminToken).toStartWith("lc_admin_");
    const again = await seedDemo(t.ctx);
    expect(again.keys).toBeNull();
    expect(again.links).toEqual(first.links);
    const demoTokens = async () => (await api(t, "GET", "/api/admin/tokens")).data.filter((r: { name: string }) => r.name === "demo");
    expect(await demoTokens()).toHaveLength(1);
    expect((await send("GET", "/api/admin/brands", first.keys!.adminToken)).status).toBe(200);

    const rotated = await seedDemo(t.ctx, { newKeys: true });
    expect(rotated.keys!.adminToken).not.toBe(first.keys!.adminToken);
    expect((await send("GET", "/api/admin/brands", first.keys!.adminToken)).status).toBe(401);
    expect((await send("GET", "/api/admin/brands", rotated.keys!.adminToken)).status).toBe(200);
    const conv = await t.request("/api/conversions", { token: first.keys!.liveKey });
    expect(conv.status).toBe(401);
    expect((await t.request("/api/conversions", { token: rotated.keys!.liveKey })).status).toBe(200);
    expect((await demoTokens()).filter((r: { revoked_at: string | null }) => r.revoked_at === null)).toHaveLength(1);
    expect((await seedDemo(t.ctx)).keys).toBeNull();
  });
});

describe("lastclick token create|list|revoke", () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ["src/cli.ts", ...args, "--database-url", t.ctx.config.DATABASE_URL],
    { cwd: join(import.meta.dir, "../.."), encoding: "utf8", env: { ...process.env, IP_HASH_SECRET: "cli-test-secret-0123456" } });

  test("create prints the token once; list shows it by name without the token; revoke stops it at once", async () => {
    const created = cli("token", "create", "--name", "from cli");
    expect(created.status).toBe(0);
    const token = created.stdout.match(/lc_admin_\S+/)![0];
    expect((await send("GET", "/api/admin/brands", token)).status).toBe(200);

    const listed = cli("token", "list");
    expect(listed.status).toBe(0);
    expect(listed.stdout).not.toContain(token);
    const line = listed.stdout.split("\n").find((l) => l.includes("from cli"))!;
    expect(line).toContain("active");
    const id = line.split(/\s+/)[0]!;

    const revoked = cli("token", "revoke", id);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toContain(`"from cli" (${id}) is revoked`);
    expect((await send("GET", "/api/admin/brands", token)).status).toBe(401);
    expect(cli("token", "list").stdout.split("\n").find((l) => l.includes("from cli"))).toContain("revoked");
  });

  test("usage errors exit 2, an unknown id exits 1", () => {
    expect(cli("token", "revoke").status).toBe(2);
    expect(cli("token", "create", "--name", "bad\nname").status).toBe(2);
    expect(cli("token", "rotate").status).toBe(2);
    const unknown = cli("token", "revoke", "no-such-id");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No admin token with id "no-such-id"');
  });
});
