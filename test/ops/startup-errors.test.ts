// Start-up failures an operator can fix: one line, exit code 2, no stack. And what `migrate` says.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { MIGRATIONS } from "../../src/db/migrations.gen";
import pkg from "../../package.json" with { type: "json" };
import { runCli } from "../../src/cli";
import { configureLog } from "../../src/ops/log";

const ROOT = resolve(import.meta.dir, "../..");
let dir: string;

/** The CLI in this process (fast); output captured. The real-process path is checked by test/ops/binary-ops.test.ts. */
async function cli(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...a: unknown[]) => { out.push(a.join(" ")); };
  console.error = (...a: unknown[]) => { err.push(a.join(" ")); };
  try {
    const code = await runCli(argv, env);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    [console.log, console.error] = [log, error];
    configureLog({ format: "text", requests: false });
  }
}

/** One subprocess: what the operator really sees on the terminal. */
async function cliProcess(argv: string[], env: Record<string, string>) {
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/cli.ts"), ...argv], {
    cwd: dir, env: { PATH: process.env.PATH ?? "", ...env }, stdout: "pipe", stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

/** A clear message is one line, and no source or stack frames leak into it. */
function expectOneLine(text: string) {
  const lines = text.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toContain("|");
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "lastclick-startup-errors-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("migrate says which migrations it applied, then that there is nothing to apply", async () => {
  const env = { DATABASE_URL: `file:${join(dir, "m.db")}` };
  const first = await cli(["migrate"], env);
  expect(first.code).toBe(0);
  expect(first.stdout).toContain(`Applied ${MIGRATIONS.length} migration`);
  for (const m of MIGRATIONS) expect(first.stdout).toContain(m.tag);
  const second = await cli(["migrate"], env);
  expect(second.code).toBe(0);
  expect(second.stdout.trim()).toBe(`Nothing to apply: the database is already at ${MIGRATIONS[MIGRATIONS.length - 1]!.tag}.`);
}, 30_000);

test("a database migrated by a newer binary: serve and migrate refuse with one line, exit 2, and write nothing", async () => {
  const path = join(dir, "newer.db");
  expect((await cli(["migrate"], { DATABASE_URL: `file:${path}` })).code).toBe(0);
  const db = createClient({ url: `file:${path}` });
  const future = MIGRATIONS[MIGRATIONS.length - 1]!.when + 86_400_000;
  await db.execute({ sql: `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-the-future', ?)`, args: [future] });
  const before = Number((await db.execute("SELECT count(*) FROM admin_tokens")).rows[0]![0]);
  db.close();
  for (const command of ["serve", "migrate"]) {
    const r = await cli([command], { DATABASE_URL: `file:${path}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off" });
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain("migration this binary does not know");
  }
  const after = createClient({ url: `file:${path}` });
  expect(Number((await after.execute("SELECT count(*) FROM admin_tokens")).rows[0]![0])).toBe(before); // no first-start token minted
  after.close();
}, 30_000);

test("a bad timezone: one line naming the setting, exit 2", async () => {
  const r = await cli(["serve"], { DATABASE_URL: `file:${join(dir, "tz.db")}`, NETWORK_TIMEZONE: "Mars/Olympus_Mons" });
  expect(r.code).toBe(2);
  expectOneLine(r.stderr);
  expect(r.stderr).toContain("NETWORK_TIMEZONE");
  const ok = await cli(["migrate"], { DATABASE_URL: `file:${join(dir, "tz.db")}`, NETWORK_TIMEZONE: "Europe/Berlin" });
  expect(ok.code).toBe(0);
}, 30_000);

test("a data folder it may not write (a container's bind mount owned by another uid): one line, exit 2", () => {
  const data = join(dir, "not-yours");
  chmodSync(dir, 0o755); // the folder is visible to the other user, only not writable
  mkdirSync(data, { mode: 0o755 });
  // Root writes anywhere, so as root the server runs as nobody (65534); otherwise the folder is made read-only.
  const root = process.getuid?.() === 0;
  if (!root) chmodSync(data, 0o555);
  const home = mkdtempSync(join(tmpdir(), "lastclick-home-"));
  chmodSync(home, 0o777);
  try {
    const r = spawnSync(process.execPath, [join(ROOT, "src/cli.ts"), "serve"], {
      cwd: home, ...(root ? { uid: 65534, gid: 65534 } : {}),
      env: { PATH: process.env.PATH ?? "", HOME: home, TMPDIR: home, DATABASE_URL: `file:${join(data, "lastclick.db")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off" },
    });
    const stderr = r.stderr.toString();
    expect(r.status, stderr).toBe(2);
    expectOneLine(stderr);
    expect(stderr).toContain(`Cannot create or read ${join(data, "secrets.key")} (EACCES): the data folder ${data} must be writable by this process`);
    expect(stderr).toContain("chown 65532:65532");
    expect(readdirSync(data)).toEqual([]);
  } finally {
    chmodSync(data, 0o755);
    rmSync(home, { recursive: true, force: true });
  }
}, 30_000);

test("an unreachable database server: one line without its credentials, exit 2", async () => {
  const r = await cliProcess(["serve"], { DATABASE_URL: "libsql://127.0.0.1:9?tls=0&authToken=very-secret-token", PORT: "0", SCHEDULER: "off", SECRETS_KEY: "a-shared-secrets-key-of-32-characters-or-more" });
  expect(r.code).toBe(2);
  expectOneLine(r.stderr);
  expect(r.stderr).toStartWith("Cannot open the database libsql://127.0.0.1:9");
  expect(r.stderr).not.toContain("very-secret-token");
  const file = await cli(["migrate"], { DATABASE_URL: "file:/proc/no-such-folder/x.db" });
  expect(file.code).toBe(2);
  expectOneLine(file.stderr);
  expect(file.stderr).toContain("Cannot open the database file:/proc/no-such-folder/x.db");
}, 30_000);

test("--version and the operator commands' --help", async () => {
  const v = await cli(["--version"], {});
  expect(v.code).toBe(0);
  expect(v.stdout).toContain(`lastclick ${pkg.version}`);
  for (const command of ["backup", "restore", "health", "migrate"]) {
    const h = await cli([command, "--help"], {});
    expect(h.code).toBe(0);
    expect(h.stdout).toStartWith(`Usage: lastclick ${command}`);
  }
  const main = await cli(["--help"], {});
  for (const command of ["backup", "restore", "health", "--version"]) expect(main.stdout).toContain(`  ${command} `);
  const missing = await cli(["backup"], {});
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain("--to FILE is required");
}, 60_000);

test("health: exit 1 with one line when nothing answers", async () => {
  const r = await cli(["health", "--url", "http://127.0.0.1:9/readyz"], {});
  expect(r.code).toBe(1);
  expectOneLine(r.stderr);
  expect(r.stderr).toStartWith("not ready:");
}, 30_000);
