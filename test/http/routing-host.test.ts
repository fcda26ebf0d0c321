import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdminToken } from "../../src/network/admin-tokens";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";
import { buildApp } from "../../src/app";
import { rememberPeer } from "../../src/tracking/peer";
import { makeTestApp, type TestApp } from "../helpers/app";
import { approve, makeBrand, makeProgram, makePublisher } from "../helpers/factories";

// Routing must read the path alone: the Host header (short, empty, invalid) and
// an absolute-form request target must neither hide a route nor reveal one.
let dir: string;
let app: Running;
let token: string;
let slug: string;

interface RawAnswer { status: number; headers: string; body: string }

/** One HTTP/1.1 request written byte for byte on a socket (fetch would fix the Host header). */
function raw(head: string, body = ""): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(app.port, "127.0.0.1", () => socket.end(`${head}\r\nConnection: close\r\n\r\n${body}`));
    let out = "";
    socket.on("data", (d) => { out += d; });
    socket.on("error", reject);
    socket.on("close", () => {
      const [headers = "", ...rest] = out.split("\r\n\r\n");
      resolve({ status: Number(headers.split(" ")[1]), headers, body: rest.join("\r\n\r\n") });
    });
  });
}
const get = (target: string, host: string, extra = "") => raw(`GET ${target} HTTP/1.1\r\nHost: ${host}${extra}`);
const auth = () => `\r\nAuthorization: Bearer ${token}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lastclick-host-"));
  app = await serve(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", IP_HASH_SECRET: "host-test-secret-0123" }), { handleSignals: false });
  token = (await createAdminToken(app.ctx.db, "t")).token;
  const call = async (path: string, json: unknown) => (await fetch(app.url + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(json) })).json() as Promise<any>;
  const brand = await call("/api/admin/brands", { name: "B" });
  const program = await call("/api/admin/programs", { brand_id: brand.id, name: "P", dest_url: "https://shop.example/", commission_type: "flat_cpa", commission_value: "1", currency: "USD" });
  const pub = await call("/api/admin/publishers", { name: "Pub", email: "p@x.example" });
  slug = (await call("/api/admin/approvals", { program_id: program.id, publisher_id: pub.id })).slug;
});
afterAll(async () => { await app.stop(); rmSync(dir, { recursive: true, force: true }); });

const HOSTS = ["x", "ab", "abc", "a b", "a?b", "", "x:1", "[::1]", "localhost"];

describe("the same path reaches the same handler whatever the Host header", () => {
  for (const host of HOSTS) {
    test(`Host: ${JSON.stringify(host)}`, async () => {
      const listed = await get("/api/admin/brands", host, auth());
      expect(listed.status).toBe(200);
      expect(JSON.parse(listed.body).data.map((b: { name: string }) => b.name)).toEqual(["B"]);
      const stranger = await get("/api/admin/brands", host);
      expect(stranger.status).toBe(401);
      expect(JSON.parse(stranger.body).error.code).toBe("unauthorized");
      // A path with a prefix before a real route is no route at all, and says which path it looked for.
      for (const path of ["/zz/api/admin/brands", "/zz/healthz", "/a/api/admin/brands"]) {
        const prefixed = await get(path, host, auth());
        expect(prefixed.status).toBe(404);
        expect(JSON.parse(prefixed.body).error).toEqual({ code: "not_found", message: `No route for GET ${path}` });
      }
      expect((await get("/healthz", host)).status).toBe(200);
      expect((await get(`/go/${slug}`, host)).status).toBe(302);
      expect((await get(`/zz/go/${slug}`, host)).status).toBe(404);
      expect((await get("/api/admin/brands?x=1", host, auth())).status).toBe(200);
    });
  }
});

test("an absolute-form request target routes on its path, not its authority", async () => {
  for (const target of ["http://other.example/api/admin/brands", "http://x/api/admin/brands", "https://a/api/admin/brands"]) {
    const r = await get(target, "x", auth());
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).data).toHaveLength(1);
  }
  expect((await get("http://other.example/zz/api/admin/brands", "x", auth())).status).toBe(404);
});

test("a POST with a short Host keeps its body and query through the re-addressed request", async () => {
  const body = JSON.stringify({ name: "Short host brand" });
  const created = await raw(`POST /api/admin/brands HTTP/1.1\r\nHost: x${auth()}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}`, body);
  expect(created.status).toBe(201);
  expect(JSON.parse(created.body).name).toBe("Short host brand");
  const invalid = await raw(`POST /api/admin/brands HTTP/1.1\r\nHost: a b${auth()}\r\nContent-Type: application/json\r\nContent-Length: 2`, "{}");
  expect(invalid.status).toBe(422);
});

describe("through app.handle", () => {
  let t: TestApp;
  beforeAll(async () => { t = await makeTestApp(); });
  afterAll(() => t.close());
  test("a re-addressed request keeps its socket peer (its click hashes the same as one with a normal Host)", async () => {
    const brand = await makeBrand(t);
    const program = await makeProgram(t, brand.id);
    const link = await approve(t, program.id, (await makePublisher(t)).id);
    const app = buildApp(t.ctx);
    const clickHash = async (origin: string, peer: string) => {
      const req = new Request(`${origin}/go/${link.slug}`, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130" } });
      rememberPeer(req, peer);
      const res = await app.handle(req);
      expect(res.status).toBe(302);
      const id = new URL(res.headers.get("location")!).searchParams.get("lc_click")!;
      await t.ctx.clicks.flush();
      return (await t.ctx.client.execute({ sql: "select ip_hash from clicks where id = ?", args: [id] })).rows[0]!.ip_hash;
    };
    const normal = await clickHash("https://track.test", "203.0.113.9");
    expect(normal).toBeTruthy();
    expect(await clickHash("http://x", "203.0.113.9")).toBe(normal);
    expect(await clickHash("http://x", "203.0.113.10")).not.toBe(normal);
  });
});
