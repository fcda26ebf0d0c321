import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { buildApp } from "../../src/app";
import { boot } from "../../src/boot";
import { loadConfig } from "../../src/config";
import type { AppContext } from "../../src/context";
import { MIGRATIONS } from "../../src/db/migrations.gen";
import { migrate } from "../../src/db/migrate";
import { JOBS } from "../../src/scheduler/jobs";
import { DAY_MS, FakeClock } from "../../src/shared/clock";
import { rememberPeer } from "../../src/tracking/peer";
import { makeTestApp, T0, type TestApp } from "../helpers/app";
import { network } from "../helpers/factories";

// Two instances on one database (one secrets.key beside it), both on fake clocks walked across a day.
let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
let b: { ctx: AppContext; clock: FakeClock; app: ReturnType<typeof buildApp>; close(): void };

beforeAll(async () => {
  t = await makeTestApp();
  n = await network(t);
  const clock = new FakeClock(T0);
  const config = loadConfig({ DATABASE_URL: `file:${join(t.dir, "test.db")}`, PUBLIC_URL: "https://track.test", SCHEDULER: "off" });
  const { ctx, database } = await boot(config, { clock, geoBytes: null });
  b = { ctx, clock, app: buildApp(ctx), close: () => database.close() };
});
afterAll(async () => {
  await b.ctx.clicks.close();
  b.close();
  await t.close();
});

async function clickFrom(instance: "a" | "b", peer: string): Promise<string> {
  const headers = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130" };
  let res: Response;
  if (instance === "a") res = await t.request(n.pathA, { headers, peer });
  else {
    const req = new Request(`https://track.test${n.pathA}`, { headers });
    rememberPeer(req, peer); // the socket address a real server would see
    res = await b.app.handle(req);
  }
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!).searchParams.get("lc_click")!;
}

async function ipHashOf(id: string): Promise<string> {
  await t.ctx.clicks.flush();
  await b.ctx.clicks.flush();
  const row = (await t.ctx.client.execute({ sql: "SELECT ip_hash FROM clicks WHERE id = ?", args: [id] })).rows[0]!;
  expect(row.ip_hash).toHaveLength(22);
  return row.ip_hash as string;
}

const saltDays = async () => (await t.ctx.client.execute("SELECT day FROM ip_hash_salts ORDER BY day")).rows.map((r) => r.day as string);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
let firstDayHash = "";
const fileBytes = () => ["test.db", "test.db-wal"].map((f) => join(t.dir, f)).filter(existsSync).map((f) => readFileSync(f).toString("latin1")).join("");

test("the database holds no IP-hash key: only day salts, sealed with the secrets key kept outside it", async () => {
  firstDayHash = await ipHashOf(await clickFrom("a", "203.0.113.7"));
  const settings = (await t.ctx.client.execute("SELECT key FROM settings")).rows.map((r) => r.key);
  expect(settings).not.toContain("ip_hash_secret");
  expect(await saltDays()).toEqual([day(T0), day(T0 + DAY_MS)]); // today's, and tomorrow's made ahead
  const file = fileBytes();
  for (const r of (await t.ctx.client.execute("SELECT salt_sealed FROM ip_hash_salts")).rows) {
    const salt = t.ctx.secrets.open(r.salt_sealed as string);
    expect(salt.length).toBeGreaterThanOrEqual(43);
    expect(file).not.toContain(salt); // stored only sealed
  }
});

test("one address, one day: the same hash from either instance (and in the inbox); another address differs", async () => {
  expect(await ipHashOf(await clickFrom("b", "203.0.113.7"))).toBe(firstDayHash);
  expect(await ipHashOf(await clickFrom("a", "203.0.113.8"))).not.toBe(firstDayHash);
  const res = await t.request("/api/conv", { method: "POST", token: "lc_live_not_a_key", json: { program_id: n.program.id, brand_order_ref: "X" }, peer: "203.0.113.7" });
  expect(res.status).toBe(401);
  const inbox = (await t.ctx.client.execute("SELECT peer_ip_hash FROM inbox ORDER BY id DESC LIMIT 1")).rows[0]!;
  expect(inbox.peer_ip_hash).toBe(firstDayHash);
});

test("next day: a new salt and hash; the rotation deletes the old salt; a leaked copy cannot match yesterday's hashes", async () => {
  t.clock.advance(DAY_MS);
  b.clock.advance(DAY_MS);
  const today = await ipHashOf(await clickFrom("a", "203.0.113.7"));
  expect(today).not.toBe(firstDayHash);
  expect(await ipHashOf(await clickFrom("b", "203.0.113.7"))).toBe(today);

  const oldSealed = (await t.ctx.client.execute({ sql: "SELECT salt_sealed FROM ip_hash_salts WHERE day = ?", args: [day(T0)] })).rows[0]!.salt_sealed as string;
  const rotation = JOBS.find((j) => j.name === "ip-salt-rotation")!;
  expect((await rotation.run(t.ctx)).done).toBe(1); // yesterday's salt
  expect(await rotation.run(b.ctx)).toEqual({ done: 0, alreadyDone: 1, failures: 0 }); // safe to re-run
  expect(await saltDays()).toEqual([day(T0 + DAY_MS), day(T0 + 2 * DAY_MS)]);
  expect(fileBytes()).not.toContain(oldSealed); // not even in freed pages or the WAL
  for (const ctx of [t.ctx, b.ctx]) expect(ctx.ipSalts.cached([T0]).size).toBe(0); // gone from memory too
  expect(await t.ctx.ipSalts.hash("203.0.113.7", T0)).toBeNull(); // and never made again

  // The leaked copy, with even the secrets key: try every key it holds against a whole /24.
  await t.ctx.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  const leak = join(t.dir, "leak.db");
  copyFileSync(join(t.dir, "test.db"), leak);
  const db = createClient({ url: `file:${leak}` });
  const keys = [
    ...(await db.execute("SELECT value FROM settings")).rows.map((r) => r.value as string),
    ...(await db.execute("SELECT salt_sealed FROM ip_hash_salts")).rows.map((r) => t.ctx.secrets.open(r.salt_sealed as string)),
  ];
  db.close();
  const reverse = (hash: string) => {
    for (const key of keys) for (let i = 0; i < 256; i++) {
      const ip = `203.0.113.${i}`;
      if (createHmac("sha256", key).update(ip).digest("base64url").slice(0, 22) === hash) return ip;
    }
    return null;
  };
  expect(reverse(today)).toBe("203.0.113.7"); // the method works on a day whose salt exists...
  expect(reverse(firstDayHash)).toBeNull(); // ...and finds nothing for yesterday
});

test("the migration removes an IP-hash key stored by an earlier version", async () => {
  const client = createClient({ url: `file:${join(t.dir, "old.db")}` });
  await migrate(client);
  await client.execute("INSERT INTO settings (key, value) VALUES ('ip_hash_secret', 'old-key'), ('demo', '{}')");
  const m = MIGRATIONS.find((x) => x.tag.endsWith("drop_ip_hash_secret"))!;
  await client.execute(m.sql);
  expect((await client.execute("SELECT key FROM settings")).rows.map((r) => r.key)).toEqual(["demo"]);
  client.close();
});
