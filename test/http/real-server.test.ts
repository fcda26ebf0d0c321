import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { createAdminToken } from "../../src/network/admin-tokens";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";

// Through a real listening server: socket peer address, trusted proxy handling,
// the embedded country database, and the graceful-stop flush.
let dir: string;
let app: Running;
let slug: string;
let liveKey: string;

async function call(path: string, json?: unknown, token?: string) {
  const res = await fetch(app.url + path, {
    method: json ? "POST" : "GET", headers: { ...(token && { authorization: `Bearer ${token}` }), "content-type": "application/json" },
    body: json ? JSON.stringify(json) : undefined,
  });
  return res.json() as Promise<any>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lastclick-real-"));
  app = await serve(loadConfig({
    DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off",
    TRUSTED_PROXIES: "127.0.0.1", CLICK_FLUSH_MS: "5000", CLICK_BATCH_SIZE: "5000",
  }), { handleSignals: false });
  const { token } = await createAdminToken(app.ctx.db, "t");
  const brand = await call("/api/admin/brands", { name: "B" }, token);
  liveKey = (await call(`/api/admin/brands/${brand.id}/api-keys`, { mode: "live" }, token)).key;
  const program = await call("/api/admin/programs", { brand_id: brand.id, name: "P", dest_url: "https://shop.example/", commission_type: "flat_cpa", commission_value: "1", currency: "USD" }, token);
  const pub = await call("/api/admin/publishers", { name: "Pub", email: "p@x.example" }, token);
  slug = (await call("/api/admin/approvals", { program_id: program.id, publisher_id: pub.id }, token)).slug;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("IP is stored only as a keyed hash (the day's salt); country comes from the offline database; trusted proxy XFF honoured", async () => {
  const res = await fetch(`${app.url}/go/${slug}`, { redirect: "manual", headers: { "user-agent": "Mozilla/5.0", "x-forwarded-for": "8.8.8.8" } });
  expect(res.status).toBe(302);
  const id = new URL(res.headers.get("location")!).searchParams.get("lc_click")!;
  await app.ctx.clicks.flush();
  const row = (await app.ctx.client.execute({ sql: "select * from clicks where id = ?", args: [id] })).rows[0]!;
  expect(row.ip_hash).toBe(await app.ctx.ipSalts.hash("8.8.8.8", Number(row.created_at)));
  expect(row.ip_hash).toHaveLength(22);
  expect(row.country).toBe("US");
  expect(JSON.stringify(row)).not.toContain("8.8.8.8");
});

test("a body over the cap: 413 before anything else, kept in the inbox without its body", async () => {
  const send = (key: string) => fetch(`${app.url}/api/conv`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: "x".repeat(200_000) });
  const big = await send(liveKey);
  expect(big.status).toBe(413);
  expect((await big.json()).error.code).toBe("payload_too_large");
  expect((await send("lc_live_stranger")).status).toBe(413);
  const row = (await app.ctx.client.execute("select verdict, status_code, body_b64 from inbox order by id desc limit 1")).rows[0]!;
  expect([row.verdict, row.status_code, row.body_b64]).toEqual(["rejected", 413, ""]);
});

test("graceful stop writes every accepted click (slow flush timer, 300 clicks buffered)", async () => {
  const ids: string[] = [];
  await Promise.all(Array.from({ length: 300 }, async () => {
    const res = await fetch(`${app.url}/go/${slug}`, { redirect: "manual", headers: { "user-agent": "Mozilla/5.0" } });
    ids.push(new URL(res.headers.get("location")!).searchParams.get("lc_click")!);
  }));
  expect(app.ctx.clicks.size).toBeGreaterThan(0); // still buffered: the visitor did not wait
  await app.stop();
  const db = createClient({ url: `file:${join(dir, "db.sqlite")}` });
  const stored = (await db.execute("select id from clicks")).rows.map((r) => r.id as string);
  db.close();
  for (const id of ids) expect(stored).toContain(id);
});
