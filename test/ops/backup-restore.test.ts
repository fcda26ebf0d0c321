// Online backup while a real server takes postbacks, then restore into a new folder and start from it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { createAdminToken } from "../../src/network/admin-tokens";
import { runCli } from "../../src/cli";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";
import { copyThroughClient } from "../../src/ops/backup";
import { verifyDatabaseFile } from "../../src/ops/db-file";

const ROOT = resolve(import.meta.dir, "../..");
let dir: string;
let app: Running;
let liveKey: string;
let programId: string;
let adminToken: string;

const dbUrl = (folder: string) => `file:${join(folder, "lastclick.db")}`;
const config = (folder: string) => loadConfig({ DATABASE_URL: dbUrl(folder), PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", LOG_REQUESTS: "off" });

async function call(base: string, path: string, json?: unknown, token = adminToken) {
  const res = await fetch(base + path, {
    method: json ? "POST" : "GET", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: json ? JSON.stringify(json) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * Runs the CLI as its own process, as an operator does. (In one process SQLite shares
 * file locks between connections, and a closed @libsql/client connection keeps its
 * lock until collected, so "is the database open elsewhere" is only meaningful across processes.)
 */
async function cli(argv: string[], env: Record<string, string>) {
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/cli.ts"), ...argv], {
    cwd: dir, env: { PATH: process.env.PATH ?? "", ...env }, stdout: "pipe", stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out: stdout + stderr };
}

/** The CLI in this process: fine where no "is it open elsewhere" check is involved (backup, refusals before it). */
async function cliHere(argv: string[], env: Record<string, string>) {
  const logs: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...a: unknown[]) => { logs.push(a.join(" ")); };
  console.error = (...a: unknown[]) => { logs.push(a.join(" ")); };
  try {
    return { code: await runCli(argv, env), out: logs.join("\n") };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

/** `lastclick serve` as a child process on a free port; resolves once it listens. */
async function serveProcess(folder: string) {
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/cli.ts"), "serve"], {
    cwd: folder, env: { PATH: process.env.PATH ?? "", DATABASE_URL: dbUrl(folder), PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", LOG_REQUESTS: "off" },
    stdout: "pipe", stderr: "pipe",
  });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let text = "";
  const deadline = Date.now() + 20_000;
  while (!/listening on (http:\/\/[\d.:]+)/.test(text)) {
    if (Date.now() > deadline) throw new Error(`server did not start:\n${text}`);
    const r = await reader.read();
    if (r.done) throw new Error(`server exited:\n${text}${await new Response(proc.stderr).text()}`);
    text += new TextDecoder().decode(r.value);
  }
  reader.releaseLock();
  return { proc, url: text.match(/listening on (http:\/\/[\d.:]+)/)![1]! };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lastclick-backup-"));
  app = await serve(config(dir), { handleSignals: false });
  adminToken = (await createAdminToken(app.ctx.db, "t")).token;
  const brand = (await call(app.url, "/api/admin/brands", { name: "B" })).body;
  liveKey = (await call(app.url, `/api/admin/brands/${brand.id}/api-keys`, { mode: "live" })).body.key;
  programId = (await call(app.url, "/api/admin/programs", { brand_id: brand.id, name: "P", dest_url: "https://shop.example/", commission_type: "flat_cpa", commission_value: "1", currency: "USD" })).body.id;
});
afterAll(async () => {
  await app.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

test("backup while postbacks keep arriving holds every conversion acknowledged before it started; restore and start from it", async () => {
  const acked: { id: string; at: number }[] = [];
  let n = 0;
  let stop = false;
  // Four clients posting conversions without pause through the real socket.
  const writers = Array.from({ length: 4 }, async () => {
    while (!stop) {
      const { status, body } = await call(app.url, "/api/conv", { program_id: programId, brand_order_ref: `O-${n++}`, order_value: "5.00", order_currency: "USD" }, liveKey);
      expect(status).toBe(200);
      acked.push({ id: body.conversion.id, at: performance.now() });
    }
  });
  while (acked.length < 150) await new Promise((r) => setTimeout(r, 5));
  const backupFile = join(dir, "backups", "b1.db");
  const startedAt = performance.now();
  const before = acked.filter((a) => a.at <= startedAt).map((a) => a.id);
  const result = await cli(["backup", "--to", backupFile], { DATABASE_URL: dbUrl(dir) });
  const afterBackup = acked.length;
  stop = true;
  await Promise.all(writers);

  expect(result.code).toBe(0);
  expect(result.out).toMatch(/Backup written to .*b1\.db in \d+ ms: \d+ tables, \d+ rows, \d+ bytes/);
  expect(result.out).toContain("integrity ok");
  expect(result.out).toContain("secrets.key");
  expect(afterBackup).toBeGreaterThan(before.length); // postbacks were acknowledged while the backup ran
  const copy = createClient({ url: `file:${backupFile}` });
  const inCopy = new Set((await copy.execute("SELECT id FROM conversions")).rows.map((r) => String(r[0])));
  copy.close();
  const missing = before.filter((id) => !inCopy.has(id));
  expect(missing).toEqual([]);
  expect(before.length).toBeGreaterThanOrEqual(150);

  // A second backup to the same name is refused without --force, and replaces it with --force.
  const again = await cliHere(["backup", "--to", backupFile], { DATABASE_URL: dbUrl(dir) });
  expect(again.code).toBe(2);
  expect(again.out).toContain("already exists; pass --force");
  expect((await cliHere(["backup", "--to", backupFile, "--force"], { DATABASE_URL: dbUrl(dir) })).code).toBe(0);

  // Restore into a new folder, start a server on it: the conversions are there.
  const other = mkdtempSync(join(tmpdir(), "lastclick-restored-"));
  try {
    const restored = await cli(["restore", "--from", backupFile], { DATABASE_URL: dbUrl(other) });
    expect(restored.code).toBe(0);
    expect(restored.out).toContain("Restored");
    expect(restored.out).toContain("WARNING: no secrets.key");
    copyFileSync(join(dir, "secrets.key"), join(other, "secrets.key"));
    const second = await serveProcess(other);
    try {
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
      // The admin token travelled with the database.
      const one = await call(second.url, `/api/admin/conversions?program_id=${programId}`);
      expect(one.status).toBe(200);
      expect(one.body.data.length).toBeGreaterThan(0);

      // While that server runs, restore refuses to touch its database, even with --force.
      const live = await cli(["restore", "--from", backupFile, "--force"], { DATABASE_URL: dbUrl(other) });
      expect(live.code).toBe(2);
      expect(live.out).toContain("open in a running Lastclick");
    } finally {
      second.proc.kill("SIGTERM");
      expect(await second.proc.exited).toBe(0);
    }
    // Stopped: an existing database is replaced only with --force.
    const noForce = await cli(["restore", "--from", backupFile], { DATABASE_URL: dbUrl(other) });
    expect(noForce.code).toBe(2);
    expect(noForce.out).toContain("already holds a database; pass --force");
    const forced = await cli(["restore", "--from", backupFile, "--force"], { DATABASE_URL: dbUrl(other) });
    expect(forced.code).toBe(0);
    expect(forced.out).toContain("replaced the database that was there");
    expect(forced.out).not.toContain("WARNING"); // the key is beside it now
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
}, 60_000);

test("restore refuses a file that is not a Lastclick backup, and backup refuses a database that does not exist", async () => {
  const junk = join(dir, "junk.db");
  writeFileSync(junk, "not a database at all, just some bytes".repeat(200));
  const target = mkdtempSync(join(tmpdir(), "lastclick-junk-"));
  try {
    const r = await cliHere(["restore", "--from", junk], { DATABASE_URL: dbUrl(target) });
    expect(r.code).toBe(2);
    expect(r.out).toContain("is not a readable database");
    expect(existsSync(join(target, "lastclick.db"))).toBe(false);

    const empty = createClient({ url: `file:${join(dir, "empty.db")}` });
    await empty.execute("CREATE TABLE t (a)");
    empty.close();
    const r2 = await cliHere(["restore", "--from", join(dir, "empty.db")], { DATABASE_URL: dbUrl(target) });
    expect(r2.code).toBe(2);
    expect(r2.out).toContain("not a Lastclick database");

    const b = await cliHere(["backup", "--to", join(target, "x.db")], { DATABASE_URL: `file:${join(target, "nothing-here.db")}` });
    expect(b.code).toBe(2);
    expect(b.out).toContain("No database at");
    expect(existsSync(join(target, "nothing-here.db"))).toBe(false);
    expect(existsSync(join(target, "x.db"))).toBe(false);

    const serverRestore = await cliHere(["restore", "--from", junk], { DATABASE_URL: "libsql://db.example:8080" });
    expect(serverRestore.code).toBe(2);
    expect(serverRestore.out).toContain("restore writes an embedded database file");
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
}, 60_000);

test("the libSQL-server path (schema and rows through the client in one read transaction) makes an identical, valid copy", async () => {
  const target = join(dir, "logical.db");
  const source = createClient({ url: dbUrl(dir), intMode: "bigint" });
  await copyThroughClient(source, target);
  const summary = await verifyDatabaseFile(target);
  const live = createClient({ url: dbUrl(dir) });
  const copy = createClient({ url: `file:${target}` });
  try {
    for (const t of summary.tables) {
      const n = Number((await live.execute(`SELECT count(*) FROM "${t.name}"`)).rows[0]![0]);
      expect({ table: t.name, rows: t.rows }).toEqual({ table: t.name, rows: n });
    }
    const objects = async (c: typeof live) => (await c.execute(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`)).rows.map((r) => [r[0], r[1], r[2]]);
    expect(await objects(copy)).toEqual(await objects(live));
    // The append-only trigger came along: the audit trail still refuses updates in the copy.
    await expect(copy.execute("UPDATE audit_log SET reason = 'x'")).rejects.toThrow(/append-only/);
    const money = "SELECT id, order_value_minor, commission_minor, network_fee_minor FROM conversions ORDER BY id";
    expect((await copy.execute(money)).rows.map((r) => Array.from(r))).toEqual((await live.execute(money)).rows.map((r) => Array.from(r)));
  } finally {
    live.close();
    copy.close();
  }
});
