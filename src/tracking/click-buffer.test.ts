import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient, type Client } from "@libsql/client";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../db/migrate";
import { loadGeoBytes } from "../geo-data.bun";
import { uuidv7 } from "../shared/ids";
import { ClickBuffer, type ClickRow } from "./click-buffer";
import { chunks, CHUNK_SIZES } from "./click-rows";
import { localFilePath } from "./click-writer";
import { CountryLookup } from "./geo";
import { drizzle } from "drizzle-orm/libsql";
import * as schema from "../db/schema";
import { FakeClock } from "../shared/clock";
import { SecretBox } from "../shared/secret-box";
import { IpSalts } from "./ip-salts";

let dir: string;
let url: string;
let client: Client;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lastclick-buffer-"));
  url = `file:${join(dir, "db.sqlite")}`;
  client = createClient({ url });
  await client.execute("PRAGMA journal_mode=WAL");
  await migrate(client);
});
afterAll(() => { client.close(); rmSync(dir, { recursive: true, force: true }); });

const row = (over: Partial<ClickRow> = {}): ClickRow => ({
  id: uuidv7(), approvalId: "a1", programId: "p1", publisherId: "u1", createdAt: 1_800_000_000_000, ipHash: "h", userAgent: "Mozilla/5.0",
  country: null, referrer: null, utmSource: null, utmMedium: null, utmCampaign: null, utmTerm: null, utmContent: null,
  sub1: "s1", sub2: null, sub3: null, sub4: null, sub5: null, refCode: null, isBot: false, botReason: null, via: "link",
  smartLinkId: null, rubricVersion: null, routeScore: null, routeCriteria: null, ...over,
});
const count = async (ids: string[]) =>
  Number((await client.execute({ sql: `SELECT count(*) FROM clicks WHERE id IN (${ids.map(() => "?").join(",")})`, args: ids })).rows[0]![0]);

test("chunks cover any batch exactly, largest statements first", () => {
  for (const n of [0, 1, 3, 255, 256, 500, 1337, 5000]) {
    const parts = chunks(n);
    expect(parts.reduce((a, [, size]) => a + size, 0)).toBe(n);
    let at = 0;
    for (const [offset, size] of parts) { expect(offset).toBe(at); expect(CHUNK_SIZES).toContain(size as never); at += size; }
  }
});

test("only plain file URLs get a writer thread", () => {
  expect(localFilePath("file:./data/x.db")).toBe("./data/x.db");
  expect(localFilePath("file:///var/lib/x.db")).toBe("/var/lib/x.db");
  for (const u of ["libsql://h:8080?tls=0", "http://h", "file::memory:", "file:x.db?mode=ro", "file:"]) expect(localFilePath(u)).toBeNull();
});

test("writer thread: a big batch is stored whole, every value intact; pending rows stay visible until committed", async () => {
  const buffer = new ClickBuffer(client, { flushMs: 60_000, batchSize: 5000 });
  expect(await buffer.writeInWorker(url)).toEqual({ ok: true });
  const rows = Array.from({ length: 1337 }, (_, i) => row({ sub2: `n${i}`, isBot: i % 2 === 0, botReason: i % 2 === 0 ? "bot_user_agent" : null, via: i % 3 ? "link" : "vendor" }));
  for (const r of rows) buffer.add(r);
  expect(buffer.get(rows[0]!.id)).toBe(rows[0]!);
  await buffer.flush();
  expect(buffer.get(rows[0]!.id)).toBeUndefined();
  expect(await count(rows.map((r) => r.id))).toBe(1337);
  const stored = (await client.execute({ sql: "SELECT * FROM clicks WHERE id = ?", args: [rows[10]!.id] })).rows[0]!;
  expect(stored).toMatchObject({ sub2: "n10", is_bot: 1, bot_reason: "bot_user_agent", via: "link", created_at: 1_800_000_000_000, utm_source: null });
  await buffer.close();
});

test("writer thread: flush() and close() write everything accepted, queued or in flight, in batches", async () => {
  const buffer = new ClickBuffer(client, { flushMs: 60_000, batchSize: 100 });
  expect(await buffer.writeInWorker(url)).toEqual({ ok: true });
  const rows = Array.from({ length: 950 }, () => row());
  for (const r of rows.slice(0, 500)) buffer.add(r); // past batchSize: flushes start while we keep adding
  await buffer.flush();
  expect(await count(rows.slice(0, 500).map((r) => r.id))).toBe(500);
  for (const r of rows.slice(500)) buffer.add(r);
  await buffer.close();
  expect(await count(rows.map((r) => r.id))).toBe(950);
  expect(buffer.stored).toBe(950);
  expect(() => buffer.add(row())).toThrow("closed");
});

test("without a writer thread (other URLs, or it cannot start) writes stay on this thread, also past 1,000 rows", async () => {
  const buffer = new ClickBuffer(client, { flushMs: 60_000, batchSize: 5000 });
  expect((await buffer.writeInWorker("libsql://localhost:1?tls=0")).ok).toBe(false);
  const missing = await buffer.writeInWorker(`file:${join(dir, "missing-dir", "x.db")}`);
  expect(missing.ok).toBe(false);
  expect(!missing.ok && missing.reason).toBeTruthy();
  const rows = Array.from({ length: 2100 }, () => row());
  for (const r of rows) buffer.add(r);
  await buffer.close();
  expect(await count(rows.map((r) => r.id))).toBe(2100);
});

test("writer thread with ipWork: the IP's keyed hash (salt of the click's day) and country are computed there, also after it dies", async () => {
  const geoBytes = await loadGeoBytes();
  const salts = new IpSalts(drizzle(client, { schema }), new SecretBox("k".repeat(32)), new FakeClock(1_800_000_000_000));
  const ipWork = { salts, geo: new CountryLookup(geoBytes) };
  expect(() => new ClickBuffer(client, { flushMs: 60_000, batchSize: 5000 }).add(row(), { ip: "8.8.8.8", country: true })).toThrow("cannot hash");
  const buffer = new ClickBuffer(client, { flushMs: 60_000, batchSize: 5000, onError: () => {}, ipWork });
  expect(buffer.defersIpWork).toBe(true);
  expect(await buffer.writeInWorker(url, { geoBytes })).toEqual({ ok: true });
  const a = row({ ipHash: null }), b = row({ ipHash: null, country: "DE" }), c = row({ ipHash: null }), d = row();
  buffer.add(a, { ip: "8.8.8.8", country: true });
  buffer.add(b, { ip: "8.8.8.8", country: false }); // an edge header gave the country: keep it
  buffer.add(c, { ip: null, country: true });
  buffer.add(d); // computed by the caller: untouched
  // A click of another day (still to come: its salt is made) gets that day's hash.
  const later = row({ ipHash: null, createdAt: 1_800_000_000_000 + 86_400_000 });
  buffer.add(later, { ip: "8.8.8.8", country: false });
  expect(buffer.get(a.id)!.ipHash).toBeNull();
  await buffer.flush();
  const stored = async (id: string) => (await client.execute({ sql: "SELECT ip_hash, country FROM clicks WHERE id = ?", args: [id] })).rows[0]!;
  const hash = await salts.hash("8.8.8.8", 1_800_000_000_000);
  expect(hash).toHaveLength(22);
  expect(await stored(a.id)).toMatchObject({ ip_hash: hash, country: "US" });
  expect(await stored(b.id)).toMatchObject({ ip_hash: hash, country: "DE" });
  expect(await stored(c.id)).toMatchObject({ ip_hash: null, country: null });
  expect(await stored(d.id)).toMatchObject({ ip_hash: "h", country: null });
  const nextDay = (await stored(later.id)).ip_hash;
  expect(nextDay).toBe((await salts.hash("8.8.8.8", later.createdAt))!);
  expect(nextDay).not.toBe(hash);

  // The thread dies with rows still queued: they are finished and written on this thread instead.
  const e = row({ ipHash: null });
  buffer.add(e, { ip: "1.1.1.1", country: true });
  (buffer as unknown as { writer: { worker: Worker } }).writer.worker.terminate();
  await Bun.sleep(50);
  for (let i = 0; i < 5 && buffer.size > 0; i++) await buffer.flush().catch(() => Bun.sleep(300));
  expect(await stored(e.id)).toMatchObject({ ip_hash: await salts.hash("1.1.1.1", e.createdAt), country: "AU" });
  await buffer.close();
});

test("crash-loss bound: never more than maxUnwritten clicks answered but uncommitted; the rest wait for commits, none is refused", async () => {
  const buffer = new ClickBuffer(client, { flushMs: 60_000, batchSize: 5000, maxUnwritten: 40 });
  expect(await buffer.writeInWorker(url)).toEqual({ ok: true });
  const rows = Array.from({ length: 1000 }, () => row());
  let answered = 0;
  const waits: Promise<void>[] = [];
  for (const r of rows) {
    const w = buffer.add(r);
    if (w) waits.push(w.then(() => { answered++; expect(buffer.answeredUnwritten).toBeLessThanOrEqual(40); }));
    else answered++;
    expect(buffer.answeredUnwritten).toBeLessThanOrEqual(40);
  }
  expect(answered).toBe(40); // the 41st click waits: nothing has committed yet
  expect(waits.length).toBe(960);
  await Promise.all(waits);
  expect(answered).toBe(1000);
  expect(buffer.peakAnsweredUnwritten).toBe(40);
  await buffer.close();
  expect(await count(rows.map((r) => r.id))).toBe(1000);
  expect(buffer.answeredUnwritten).toBe(0);
});

test("crash-loss bound: while writes fail, waiting clicks are answered (no error page) and kept for the retry", async () => {
  let fail = true;
  const flaky = {
    execute: async (stmt: Parameters<Client["execute"]>[0]) => { if (fail) throw new Error("database is locked"); return client.execute(stmt); },
    // A write with human clicks is one batch: their report rollup and the INSERT in one transaction.
    batch: async (stmts: Parameters<Client["batch"]>[0], mode: Parameters<Client["batch"]>[1]) => { if (fail) throw new Error("database is locked"); return client.batch(stmts, mode); },
  } as unknown as Client;
  const errors: unknown[] = [];
  const buffer = new ClickBuffer(flaky, { flushMs: 5, batchSize: 5000, maxUnwritten: 3, onError: (e) => errors.push(e) });
  const rows = Array.from({ length: 10 }, () => row());
  const waits = rows.map((r) => buffer.add(r)).filter(Boolean);
  expect(waits.length).toBe(7);
  await Promise.all(waits); // answered although nothing could be written
  expect(errors.length).toBeGreaterThan(0);
  expect(buffer.size).toBe(10);
  fail = false;
  await buffer.close();
  expect(await count(rows.map((r) => r.id))).toBe(10);
});

test("a stop that cannot reach the database spills clicks with their IP hashed by the day's salt, never the IP itself", async () => {
  const salts = new IpSalts(drizzle(client, { schema }), new SecretBox("s".repeat(32)), new FakeClock(1_900_000_000_000));
  const known = await salts.hash("8.8.8.8", 1_900_000_000_000); // today's salt is in memory
  const failing = { execute: async () => { throw new Error("disk on fire"); }, batch: async () => { throw new Error("disk on fire"); } } as unknown as Client;
  const spillDir = mkdtempSync(join(tmpdir(), "lastclick-spill-ip-"));
  try {
    const buffer = new ClickBuffer(failing, { flushMs: 5, batchSize: 10, spillDir, closeTimeoutMs: 200, onError: () => {}, ipWork: { salts, geo: new CountryLookup(null) } });
    const today = row({ ipHash: null, createdAt: 1_900_000_000_000 });
    const unknownDay = row({ ipHash: null, createdAt: 1_900_000_000_000 - 86_400_000 }); // a past day without a salt: none is made
    buffer.add(today, { ip: "8.8.8.8", country: false });
    buffer.add(unknownDay, { ip: "8.8.8.8", country: false });
    await expect(buffer.close()).rejects.toThrow(/2 accepted clicks could not be written; saved to/);
    const file = readdirSync(spillDir).find((f) => f.startsWith("unwritten-clicks-"))!;
    const text = readFileSync(join(spillDir, file), "utf8");
    expect(text).not.toContain("8.8.8.8");
    const rows = text.trim().split("\n").map((l) => JSON.parse(l) as unknown[]);
    expect(rows.map((r) => [r[0], r[5]])).toEqual([[today.id, known], [unknownDay.id, null]]);
  } finally {
    rmSync(spillDir, { recursive: true, force: true });
  }
});
