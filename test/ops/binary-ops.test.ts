// The operator tools in the single executable: --version, health (the Docker HEALTHCHECK),
// /metrics, JSON request lines, backup while serving, and one-line start-up failures.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { BINARY, collect, ensureBinary, freePort } from "../helpers/binary";

let dir = "";
let bin = "";
let proc: ReturnType<typeof Bun.spawn> | null = null;

beforeAll(async () => {
  await ensureBinary();
  dir = mkdtempSync(join(tmpdir(), "lastclick-bin-ops-"));
  bin = join(dir, "lastclick");
  copyFileSync(BINARY, bin);
}, 180_000);

afterAll(() => {
  if (proc && proc.exitCode === null) proc.kill("SIGKILL");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string> = {}) {
  const p = Bun.spawn([bin, ...args], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

test("version, health, metrics, JSON request lines and an online backup, all from the binary", async () => {
  const v = await run(["--version"]);
  expect(v.code).toBe(0);
  expect(v.stdout).toStartWith(`lastclick ${pkg.version}`);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { PORT: String(port), HOST: "127.0.0.1", SCHEDULER: "off", LOG_FORMAT: "json" };
  proc = Bun.spawn([bin, "serve"], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
  const out = collect(proc.stdout as ReadableStream<Uint8Array>);
  const err = collect(proc.stderr as ReadableStream<Uint8Array>);
  try {
    await out.waitFor(/listening on/, 20_000);
    // HEALTHCHECK form: no flags, the server's own PORT from the environment.
    const healthy = await run(["health"], { PORT: String(port) });
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toStartWith("ready");

    expect((await fetch(`${base}/go/not-a-real-slug`, { redirect: "manual" })).status).toBe(404);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain(`lastclick_http_requests_total{method="GET",route="/go/:slug",status="404"} 1`);
    expect(metrics).toContain("lastclick_clicks_buffered 0");
    expect(metrics).not.toContain("not-a-real-slug");
    const [line] = await out.waitFor(/\{[^\n]*"route":"\/go\/:slug"[^\n]*\}/, 5_000);
    expect(JSON.parse(line!)).toMatchObject({ level: "info", msg: "request", method: "GET", status: 404, path: "/go/not-a-real-slug" });

    const b = await run(["backup", "--to", join(dir, "backup.db")], { DATABASE_URL: "file:./data/lastclick.db" });
    expect(b.code, b.stdout + b.stderr).toBe(0);
    expect(b.stdout).toContain("integrity ok");

    proc.kill("SIGTERM");
    expect(await Promise.race([proc.exited, Bun.sleep(15_000).then(() => "timeout")])).toBe(0);
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : e}\n--- stdout:\n${out.text}\n--- stderr:\n${err.text}`);
  }
  const down = await run(["health", "--url", `${base}/readyz`]);
  expect(down.code).toBe(1);
  expect(down.stderr).toStartWith("not ready:");
}, 90_000);

test("a bad timezone, a database newer than the binary (serve and migrate) and a port in use stop the binary with one line and exit 2", async () => {
  const tz = await run(["serve"], { NETWORK_TIMEZONE: "Not/AZone", PORT: "0" });
  expect(tz.code).toBe(2);
  expect(tz.stderr.trim().split("\n")).toHaveLength(1);
  expect(tz.stderr).toContain("NETWORK_TIMEZONE");

  const restored = await run(["restore", "--from", join(dir, "backup.db"), "--database-url", "file:./other/lastclick.db"]);
  expect(restored.code, restored.stdout + restored.stderr).toBe(0);
  const { createClient } = await import("@libsql/client");
  const db = createClient({ url: `file:${join(dir, "other", "lastclick.db")}` });
  await db.execute(`INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('newer', 99999999999999)`);
  db.close();
  const newer = await run(["serve"], { DATABASE_URL: "file:./other/lastclick.db", PORT: "0", SCHEDULER: "off" });
  expect(newer.code).toBe(2);
  expect(newer.stderr.trim().split("\n")).toHaveLength(1);
  expect(newer.stderr).toContain("migration this binary does not know");
  const migrate = await run(["migrate"], { DATABASE_URL: "file:./other/lastclick.db" });
  expect(migrate.code).toBe(2);
  expect(migrate.stderr.trim().split("\n")).toHaveLength(1);
  expect(migrate.stderr).toContain("migration this binary does not know");
  const after = createClient({ url: `file:${join(dir, "other", "lastclick.db")}` });
  expect((await after.execute(`SELECT count(*) AS n FROM __drizzle_migrations WHERE created_at > 99999999999999`)).rows[0]!.n).toBe(0); // nothing applied past it
  after.close();

  // A port another server holds: refused with one line, exit 2 (no reusePort split between two databases).
  const holder = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("the other server") });
  try {
    const busy = await run(["serve"], { DATABASE_URL: "file:./busy/lastclick.db", PORT: String(holder.port), HOST: "127.0.0.1", SCHEDULER: "off" });
    expect(busy.code).toBe(2);
    expect(busy.stderr.trim()).toBe(`Port ${holder.port} on 127.0.0.1 is already in use (another Lastclick, or another program, listens there): stop it or set PORT.`);
    expect(await (await fetch(`http://127.0.0.1:${holder.port}/`)).text()).toBe("the other server");
  } finally {
    holder.stop(true);
  }
}, 60_000);
