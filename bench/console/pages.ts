/**
 * Console pages benchmark: with 1M conversions and 10M clicks in the
 * database, how long the publisher earnings page and the admin overview take
 * to render (target < 50 ms p50), plus the brand and publisher overviews.
 *
 * The database is built once (seed-volume.ts: the network through the domain,
 * clicks and conversions in SQL) and cached under the temp dir, keyed by the
 * data version and volume; the appliance (`bun src/cli.ts serve`, SCHEDULER=off)
 * then runs on it, migrating it first if the schema moved on. Each role signs
 * in through the login form as a browser does (GET /login, POST the form with
 * its _csrf, keep the session cookie); each page is fetched sequentially,
 * WARMUP times and then N times (or until BENCH_PAGE_SECONDS pass), timing
 * the whole response body.
 *
 *   bun bench/console/pages.ts            (BENCH_REQUESTS=50 BENCH_WARMUP=5 BENCH_PAGE_SECONDS=20)
 *   bun bench/console/pages.ts --rebuild  builds the database again
 *   BENCH_CLICKS=1000000 BENCH_CONVERSIONS=100000 bun bench/console/pages.ts   a smaller (separately cached) database
 *   BENCH_APP_DIR=/path/to/other/checkout bun bench/console/pages.ts   serves from another checkout (a before/after
 *       comparison on one database: run the older code first, as the newer one migrates the file)
 *
 * Exits non-zero only when something crashes; missed targets print MISS.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { cpuSeconds, fmt, startChild, table, verdict, type Child } from "../lib";
import { buildVolumeDb, PASSWORD, USERS } from "./seed-volume";

/** Bump when the generated data changes shape: a new cache file is built. */
const DATA_VERSION = 2;
const CLICKS = Number(process.env.BENCH_CLICKS ?? 10_000_000);
const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const PAGE_SECONDS = Number(process.env.BENCH_PAGE_SECONDS ?? 20);
const TARGET_P50_MS = 50;
const REBUILD = process.argv.includes("--rebuild");
const APP_DIR = process.env.BENCH_APP_DIR;

/** Jiffies from /proc/stat: [total, steal] (steal: time the hypervisor gave our vCPUs to someone else). */
function cpuTimes(): [number, number] {
  if (!existsSync("/proc/stat")) return [0, 0];
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return [f.reduce((a, b) => a + b, 0), f[7] ?? 0];
}

async function database(): Promise<{ path: string; builtAt: number }> {
  const dir = join(tmpdir(), `lastclick-bench-console-v${DATA_VERSION}-${CLICKS}-${CONVERSIONS}`);
  const path = join(dir, "console.db"), meta = join(dir, "built.json");
  if (!REBUILD && existsSync(meta)) return { path, builtAt: JSON.parse(readFileSync(meta, "utf8")).builtAt };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const t = performance.now();
  console.log(`Building ${fmt.int(CLICKS)} clicks and ${fmt.int(CONVERSIONS)} conversions into ${path} ...`);
  await buildVolumeDb(path, { clicks: CLICKS, conversions: CONVERSIONS, publishers: 1000, brands: 10, programsPerBrand: 3, now });
  writeFileSync(meta, JSON.stringify({ builtAt: now }));
  console.log(`Built in ${((performance.now() - t) / 1000).toFixed(0)} s, ${(statSync(path).size / 1e9).toFixed(2)} GB`);
  return { path, builtAt: now };
}

/** Signs in through the form as a browser does; returns the session cookie. */
async function signIn(base: string, email: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const html = await page.text();
  const pre = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const body = new URLSearchParams({ email, password: PASSWORD, ...(csrf ? { _csrf: csrf } : {}) });
  const res = await fetch(`${base}/login`, { method: "POST", redirect: "manual", body, headers: { "content-type": "application/x-www-form-urlencoded", ...(pre ? { cookie: pre } : {}) } });
  const m = /lc_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "");
  if (res.status !== 303 && res.status !== 302 || !m) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  return `lc_session=${m[1]}`;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * Sequential GETs of one page: WARMUP, then up to REQUESTS timed (full body
 * read). Also the server's CPU per request (user + system, all its threads):
 * on a shared machine the wall-clock p50 includes waiting for a core, the CPU
 * time does not.
 */
async function timePage(base: string, path: string, cookie: string, pid: number) {
  const get = async () => {
    const t = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
    const body = await res.text();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 300)}`);
    return { ms, bytes: body.length };
  };
  for (let i = 0; i < WARMUP; i++) await get();
  const times: number[] = [];
  let bytes = 0;
  const cpu0 = cpuSeconds(pid);
  const until = performance.now() + PAGE_SECONDS * 1000;
  while (times.length < REQUESTS && (times.length < 5 || performance.now() < until)) {
    const r = await get();
    times.push(r.ms);
    bytes = r.bytes;
  }
  const cpu1 = cpuSeconds(pid);
  times.sort((a, b) => a - b);
  const cpuMs = cpu0 === null || cpu1 === null ? null : (1000 * (cpu1 - cpu0)) / times.length;
  return { n: times.length, p50: pct(times, 50), p99: pct(times, 99), bytes, cpuMs };
}

async function main() {
  const db = await database();
  const ageH = (Date.now() - db.builtAt) / 3_600_000;
  let server: Child | null = null;
  try {
    const t = performance.now();
    server = await startChild("lastclick", ["bun", APP_DIR ? join(APP_DIR, "src/cli.ts") : "src/cli.ts", "serve"],
      { DATABASE_URL: `file:${db.path}`, SCHEDULER: "off", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "warn" }, /listening on http:\/\/127\.0\.0\.1:(\d+)/, 600_000);
    const startS = (performance.now() - t) / 1000;
    const base = `http://127.0.0.1:${server.port}`;
    const cookies = { admin: await signIn(base, USERS.admin), publisher: await signIn(base, USERS.publisher), brand: await signIn(base, USERS.brand) };
    const pages: [string, string, keyof typeof cookies, boolean][] = [
      ["publisher earnings", "/dashboard/publisher/earnings", "publisher", true],
      ["admin overview", "/admin", "admin", true],
      ["brand overview", "/dashboard/brand", "brand", false],
      ["publisher overview", "/dashboard/publisher", "publisher", false],
    ];
    console.log(`Console pages benchmark: ${fmt.int(CLICKS)} clicks, ${fmt.int(CONVERSIONS)} conversions (data built ${ageH.toFixed(1)} h ago, 12 months ending then); ` +
      `server${APP_DIR ? ` from ${APP_DIR}` : ""} up in ${startS.toFixed(1)} s (migrations included); sequential GETs, ${WARMUP} warm-up + up to ${REQUESTS} timed per page (max ${PAGE_SECONDS} s); ` +
      `${navigator.hardwareConcurrency} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    const rows = [["page", "path", "n", "p50 ms", "p99 ms", "server CPU ms/req", "KB", "CPU steal %", "target p50 < 50 ms"]];
    const verdicts: string[] = [];
    for (const [name, path, role, targeted] of pages) {
      const c0 = cpuTimes();
      const r = await timePage(base, path, cookies[role], server.pid);
      const c1 = cpuTimes();
      const steal = c1[0] > c0[0] ? (100 * (c1[1] - c0[1])) / (c1[0] - c0[0]) : 0;
      const ok = r.p50 < TARGET_P50_MS;
      rows.push([name, path, String(r.n), fmt.ms(r.p50), fmt.ms(r.p99), r.cpuMs === null ? "n/a" : r.cpuMs.toFixed(1), (r.bytes / 1024).toFixed(0), steal.toFixed(1), targeted ? verdict(ok) : `(${verdict(ok)})`]);
      if (targeted) verdicts.push(`${verdict(ok)}  ${name} p50 ${fmt.ms(r.p50)} ms (p99 ${fmt.ms(r.p99)} ms), target < ${TARGET_P50_MS} ms`);
    }
    console.log("\n" + table(rows) + "\n");
    for (const v of verdicts) console.log(v);
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  } finally {
    if (server) await server.stop();
  }
}

await main();
