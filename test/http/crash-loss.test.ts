import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { boot } from "../../src/boot";
import { loadConfig } from "../../src/config";
import { seedDemo } from "../../src/demo";

// A real server process killed with SIGKILL: no graceful-stop flush. The flush timer is 10 s and a
// batch 5,000 rows, so without the crash-loss bound every answered click would still be in memory.
const ROOT = resolve(import.meta.dir, "../..");
const BOUND = 25;
const CLICKS = 400;
let dir = "";
let dbUrl = "";
let path = "";
let proc: ReturnType<typeof Bun.spawn> | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lastclick-crash-"));
  dbUrl = `file:${join(dir, "db.sqlite")}`;
  const { ctx, database } = await boot(loadConfig({ DATABASE_URL: dbUrl, SCHEDULER: "off" }), { geoBytes: null });
  path = new URL((await seedDemo(ctx)).links[0]!.url).pathname;
  await ctx.clicks.close();
  database.close();
});

afterAll(() => {
  if (proc && proc.exitCode === null) proc.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function listeningPort(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader();
  const dec = new TextDecoder();
  let out = "";
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    out += dec.decode(r.value, { stream: true });
    const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    if (m) { reader.releaseLock(); return Number(m[1]); }
  }
  throw new Error(`server exited before listening:\n${out}`);
}

test("kill -9 loses at most CLICK_MAX_UNWRITTEN answered clicks; every click still gets its 302", async () => {
  proc = Bun.spawn([process.execPath, "src/cli.ts", "serve"], {
    cwd: ROOT, stdout: "pipe", stderr: "ignore",
    env: { ...process.env, DATABASE_URL: dbUrl, SCHEDULER: "off", HOST: "127.0.0.1", PORT: "0",
      CLICK_FLUSH_MS: "10000", CLICK_BATCH_SIZE: "5000", CLICK_MAX_UNWRITTEN: String(BOUND) },
  });
  const port = await listeningPort(proc.stdout as ReadableStream<Uint8Array>);
  const answered: string[] = [];
  const statuses = new Set<number>();
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next++ < CLICKS) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { redirect: "manual", headers: { "user-agent": "Mozilla/5.0" } });
      statuses.add(res.status);
      answered.push(new URL(res.headers.get("location")!).searchParams.get("lc_click")!);
    }
  }));
  proc.kill("SIGKILL");
  await proc.exited;

  expect([...statuses]).toEqual([302]);
  expect(answered.length).toBe(CLICKS);
  const db = createClient({ url: dbUrl });
  const stored = new Set((await db.execute("select id from clicks")).rows.map((r) => r.id as string));
  db.close();
  const lost = answered.filter((id) => !stored.has(id)).length;
  expect(lost).toBeLessThanOrEqual(BOUND);
  expect(stored.size).toBeGreaterThanOrEqual(CLICKS - BOUND);
}, 60_000);
