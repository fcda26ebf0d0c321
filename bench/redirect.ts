/**
 * Redirect benchmark: the appliance's /go/{slug} against a bare Bun.serve 302
 * with the same headers, both in child processes, both driven by the same wrk
 * load (keep-alive, then "Connection: close"). Afterwards the appliance is
 * stopped with SIGTERM and every 302 wrk saw must have its click row.
 * With keep-alive the same server also takes a smart link (/go/m/{code},
 * routed to the same program) and its rate is printed as a ratio of /go/{slug}.
 *
 *   bun bench/redirect.ts            (BENCH_SECONDS=10 BENCH_CONNECTIONS=64 WRK_THREADS=2)
 *   BENCH_CHECK_IDS=1 bun bench/redirect.ts   also checks every click id wrk saw is stored
 *                                             (slower wrk: lower figures for both servers)
 *
 * Then the crash-loss measurement: a fresh server under the same load is
 * killed with SIGKILL mid-run (no graceful flush); every click id wrk saw
 * answered is looked up, and the loss is compared with the stated bound
 * (CLICK_MAX_UNWRITTEN answered-but-uncommitted clicks).
 *
 *   BENCH_KILL_ONLY=1 bun bench/redirect.ts   only that (BENCH_KILL_SECONDS=3, killed at half time)
 *
 *   bun bench/redirect.ts --db sqld   /go/{slug} with keep-alive on the embedded file and then
 *       on a libSQL server (sqld on a loopback port, SECRETS_KEY set), same load, one invocation;
 *       prints sqld / file (target >= 0.7) and checks every 302 has its click on both
 *
 * Exits non-zero only when something crashes; missed targets print MISS.
 */
import { createClient } from "@libsql/client";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { boot } from "../src/boot";
import { loadConfig } from "../src/config";
import { eq } from "drizzle-orm";
import { publishers } from "../src/db/schema";
import { seedDemo } from "../src/demo";
import { createSmartLink } from "../src/smartlinks/create-smart-link";
import { putRubric } from "../src/smartlinks/put-rubric";
import { putScores } from "../src/smartlinks/put-scores";
import { BROWSER_UA, cpuSeconds, dbMode, fmt, startBenchSqld, startChild, table, tempDir, verdict, wrk, type Child, type WrkResult } from "./lib";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const THREADS = Number(process.env.WRK_THREADS ?? 2);
const SCRIPT = join(import.meta.dir, "redirect.lua");
const CHECK_IDS = process.env.BENCH_CHECK_IDS === "1";
const TARGET = { ratio: 0.35, p99Ms: 10, smartRatio: 0.8 };
const KILL_ONLY = process.env.BENCH_KILL_ONLY === "1";
const KILL_SECONDS = Number(process.env.BENCH_KILL_SECONDS ?? 3);
const MODE = dbMode();
const SQLD_TARGET = 0.7;
const SECRETS_KEY = "bench-shared-secrets-key-0123456789abcdef";

/**
 * The demo network plus a rubric, scores and a smart link for the first
 * link's publisher that routes to that same program: /go/m/{code} and
 * /go/{slug} then make the same click to the same destination.
 */
async function seed(dbUrl: string, env: Record<string, string> = {}): Promise<{ path: string; smartPath: string }> {
  const { ctx, database } = await boot(loadConfig({ DATABASE_URL: dbUrl, SCHEDULER: "off", ...env }), { geoBytes: null });
  const info = await seedDemo(ctx);
  const actor = { type: "admin", id: "bench", via: "token" } as const;
  await putRubric(ctx, actor, { threshold: 70, signals: [{ key: "fit", name: "Fit", weight: 60 }, { key: "service", name: "Service", weight: 40 }] });
  await putScores(ctx, actor, info.programs[0]!.id, { scores: { fit: 0.9, service: 0.9 } });
  await putScores(ctx, actor, info.programs[1]!.id, { scores: { fit: 0.8, service: 0.8 } });
  const [publisher] = await ctx.db.select({ id: publishers.id }).from(publishers).where(eq(publishers.name, info.links[0]!.publisher));
  const smart = await createSmartLink(ctx, actor, { criteria: {}, publisher_id: publisher!.id, code: "bench", match_page: true });
  await ctx.clicks.close();
  database.close();
  const url = new URL(info.links[0]!.url);
  // /go/{slug}; the program passes sub-ids through and keeps its own query + fragment
  return { path: url.pathname, smartPath: new URL(smart.url).pathname };
}

/** One request each, to show (and compare) what both servers answer. */
async function headersOf(url: string): Promise<{ status: number; headers: Record<string, string> }> {
  const res = await fetch(url, { redirect: "manual", headers: { "user-agent": BROWSER_UA } });
  await res.arrayBuffer();
  const headers: Record<string, string> = {};
  for (const k of ["location", "set-cookie", "cache-control"]) headers[k] = res.headers.get(k) ?? "(missing)";
  return { status: res.status, headers };
}

interface Run { mode: string; server: string; r: WrkResult; backlog: number | null }

/** Clicks accepted but not yet written when the load stopped (did the writer keep up?). */
async function backlog(server: Child): Promise<number | null> {
  const res = await fetch(`http://127.0.0.1:${server.port}/healthz`).catch(() => null);
  if (!res?.ok) return null;
  return ((await res.json()) as { buffered_clicks?: number }).buffered_clicks ?? null;
}

async function load(server: Child, path: string, mode: "keep-alive" | "close", seconds: number, idsOut: string | null): Promise<WrkResult> {
  const headers = [`User-Agent: ${BROWSER_UA}`, "Accept: text/html"];
  if (mode === "close") headers.push("Connection: close");
  return wrk({
    url: `http://127.0.0.1:${server.port}${path}`, connections: CONNECTIONS, threads: THREADS, seconds,
    script: SCRIPT, headers, env: idsOut ? { IDS_OUT: idsOut } : {},
  });
}

async function main() {
  const tmp = tempDir("redirect");
  const dbFile = join(tmp.dir, "bench.db");
  const dbUrl = `file:${dbFile}`;
  const { path, smartPath } = await seed(dbUrl);
  if (!KILL_ONLY) await throughput(tmp.dir, dbUrl, path, smartPath);
  await crashLoss(tmp.dir, dbUrl, path);
  tmp.remove();
}

/** --db sqld: the appliance on the embedded file, then on a libSQL server, same keep-alive load on /go/{slug}. */
async function mainSqld() {
  const tmp = tempDir("redirect-sqld");
  const sqld = await startBenchSqld();
  try {
    const env = { SECRETS_KEY };
    const targets = [["embedded file", `file:${join(tmp.dir, "bench.db")}`], ["sqld", sqld.url]] as const;
    console.log(`Redirect benchmark, --db sqld: wrk -t${THREADS} -c${CONNECTIONS} -d${SECONDS}s keep-alive (after ${WARMUP_SECONDS}s warm-up), ${navigator.hardwareConcurrency} cores, load average ${loadavg()[0]!.toFixed(2)}`);
    const results: { name: string; url: string; r: WrkResult; check: CountCheck; stopCode: number; cpuMs: (number | null)[] }[] = [];
    for (const [name, url] of targets) {
      const { path } = await seed(url, env);
      const server = await startChild("lastclick", ["bun", "src/cli.ts", "serve"],
        { DATABASE_URL: url, SCHEDULER: "off", HOST: "127.0.0.1", PORT: "0", ...env }, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
      const warm = WARMUP_SECONDS > 0 ? await load(server, path, "keep-alive", WARMUP_SECONDS, null) : null;
      const pids = [server.pid, name === "sqld" ? sqld.pid : undefined];
      const cpu0 = pids.map(cpuSeconds);
      const r = await load(server, path, "keep-alive", SECONDS, null);
      const cpu1 = pids.map(cpuSeconds);
      const stopCode = await server.stop();
      const seen = (warm?.statuses["302"] ?? 0) + (r.statuses["302"] ?? 0);
      const n = r.statuses["302"] ?? 0;
      const cpuMs = cpu0.map((c, i) => (c === null || cpu1[i] === null || n === 0 ? null : (1000 * (cpu1[i]! - c)) / n));
      results.push({ name, url, r, check: await countCheck(url, seen, [], 0, warm ? 2 : 1), stopCode, cpuMs });
      console.log(`  ${name}: ${fmt.int(r.rps)} req/s, p50 ${fmt.ms(r.p50Ms)} ms, p99 ${fmt.ms(r.p99Ms)} ms`);
    }
    const [file, server] = results as [typeof results[0], typeof results[0]];
    const ratio = server.r.rps / file.r.rps;
    console.log("\n" + table([
      ["GET /go/{slug} keep-alive", "req/s", "p50 ms", "p99 ms", "non-302", "CPU ms/click app", "CPU ms/click sqld", "CPU steal %"],
      ...results.map((x) => [x.name === "sqld" ? `sqld (${x.url})` : x.name, fmt.int(x.r.rps), fmt.ms(x.r.p50Ms), fmt.ms(x.r.p99Ms),
        String(Object.entries(x.r.statuses).filter(([st]) => st !== "302").reduce((a, [, n]) => a + n, 0)),
        ...x.cpuMs.map((v, i) => (v === null ? (i === 1 && x.name !== "sqld" ? "" : "n/a") : v.toFixed(3))), x.r.stealPct.toFixed(1)]),
      ["sqld / file", fmt.ratio(ratio), "", "", "", "", "", ""],
    ]));
    let allStored = true;
    for (const x of results) {
      const ok = x.check.surplus >= 0 && x.check.surplus <= x.check.surplusBound && x.stopCode === 0 && Object.keys(x.r.statuses).every((st) => st === "302");
      allStored &&= ok;
      console.log(`${x.name}: ${fmt.int(x.check.seen)} 302s counted by wrk (warm-up included), ${fmt.int(x.check.rows)} click rows after SIGTERM (exit ${x.stopCode}), ${x.check.surplus} in flight at cut-off (at most ${x.check.surplusBound})`);
    }
    console.log(`\n${verdict(ratio >= SQLD_TARGET)}  /go on sqld at ${fmt.ratio(ratio)}x the embedded file (target >= ${SQLD_TARGET})`);
    console.log(`${verdict(allStored)}  every 302 has its stored click, nothing but 302s (both runs)`);
  } finally {
    await sqld.stop();
    tmp.remove();
  }
}

/**
 * kill -9 under load: wrk records the id of every 302 it received; after the
 * kill, each is looked up. Lost = answered but never committed; the bound says
 * at most CLICK_MAX_UNWRITTEN of them (plus nothing for clicks still waiting
 * under back-pressure: those were never answered).
 */
async function crashLoss(dir: string, dbUrl: string, path: string) {
  const bound = loadConfig({ CLICK_MAX_UNWRITTEN: process.env.CLICK_MAX_UNWRITTEN }).CLICK_MAX_UNWRITTEN; // what the server reads
  const server = await startChild("lastclick", ["bun", "src/cli.ts", "serve"],
    { DATABASE_URL: dbUrl, SCHEDULER: "off", HOST: "127.0.0.1", PORT: "0" }, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
  const idsFile = join(dir, "ids-kill.txt");
  const running = load(server, path, "keep-alive", KILL_SECONDS, idsFile);
  await Bun.sleep((KILL_SECONDS * 1000) / 2);
  await server.kill();
  const r = await running;
  const answered = readFileSync(idsFile, "utf8").split("\n").filter(Boolean);
  const client = createClient({ url: dbUrl });
  const stored = new Set<string>();
  for (let at = 0; at < answered.length; at += 500) {
    const part = answered.slice(at, at + 500);
    const rows = await client.execute({ sql: `SELECT id FROM clicks WHERE id IN (${part.map(() => "?").join(",")})`, args: part });
    for (const row of rows.rows) stored.add(row[0] as string);
  }
  client.close();
  const lost = answered.length - stored.size;
  const rps = answered.length / (KILL_SECONDS / 2);
  console.log(`\nkill -9 after ${KILL_SECONDS / 2} s of load (wrk -c${CONNECTIONS}): ${fmt.int(answered.length)} clicks answered (~${fmt.int(rps)}/s), ` +
    `${fmt.int(stored.size)} stored, ${fmt.int(lost)} lost (${fmt.ms((1000 * lost) / Math.max(rps, 1))} ms of traffic); ` +
    `${r.errors.connect + r.errors.read} connection errors after the kill`);
  console.log(`${verdict(lost <= bound)}  crash loss ${fmt.int(lost)} <= bound ${fmt.int(bound)} answered-but-uncommitted clicks (CLICK_MAX_UNWRITTEN)`);
}

async function throughput(dir: string, dbUrl: string, path: string, smartPath: string) {

  const ours = await startChild("lastclick", ["bun", "src/cli.ts", "serve"],
    { DATABASE_URL: dbUrl, SCHEDULER: "off", HOST: "127.0.0.1", PORT: "0" }, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
  const bare = await startChild("bare", ["bun", "bench/bare-302.ts"], {}, /bare listening on http:\/\/127\.0\.0\.1:(\d+)/);

  console.log(`Redirect benchmark: wrk -t${THREADS} -c${CONNECTIONS} -d${SECONDS}s (after ${WARMUP_SECONDS}s warm-up), ${navigator.hardwareConcurrency} cores, load average ${loadavg()[0]!.toFixed(2)}`);
  const sampleOurs = await headersOf(`http://127.0.0.1:${ours.port}${path}`);
  const sampleBare = await headersOf(`http://127.0.0.1:${bare.port}/go/x`);
  for (const [name, s] of [["ours", sampleOurs], ["bare", sampleBare]] as const) {
    console.log(`  ${name}: ${s.status}  location: ${s.headers.location}\n        set-cookie: ${s.headers["set-cookie"]}\n        cache-control: ${s.headers["cache-control"]}`);
  }
  const untrackedClicks = sampleOurs.status === 302 ? 1 : 0; // the sample request above

  const runs: Run[] = [];
  const idFiles: string[] = [];
  let oursRuns = 0;
  let warm302 = 0;
  for (const mode of ["keep-alive", "close"] as const) {
    // The smart link (/go/m/{code}) runs right after /go/{slug} on the same server, keep-alive only.
    const servers = mode === "keep-alive" ? [["bare", bare], ["ours", ours], ["smart", ours]] as const : [["bare", bare], ["ours", ours]] as const;
    for (const [name, server] of servers) {
      const target = name === "smart" ? smartPath : path;
      const ids = (tag: string) => {
        if (name === "bare") return null;
        oursRuns++;
        if (!CHECK_IDS) return null;
        const f = join(dir, `ids-${mode}-${tag}.txt`);
        idFiles.push(f);
        return f;
      };
      if (WARMUP_SECONDS > 0) {
        const w = await load(server, target, mode, WARMUP_SECONDS, ids("warmup"));
        if (name !== "bare") warm302 += w.statuses["302"] ?? 0;
      }
      const r = await load(server, target, mode, SECONDS, ids("run"));
      runs.push({ mode, server: name, r, backlog: name !== "bare" ? await backlog(server) : null });
      console.log(`  ${mode.padEnd(10)} ${name}: ${fmt.int(r.rps)} req/s, p50 ${fmt.ms(r.p50Ms)} ms, p99 ${fmt.ms(r.p99Ms)} ms`);
    }
  }

  const stopCode = await ours.stop();
  await bare.stop();
  const seen302 = warm302 + runs.filter((x) => x.server !== "bare").reduce((a, x) => a + (x.r.statuses["302"] ?? 0), 0);
  const check = await countCheck(dbUrl, seen302, idFiles, untrackedClicks, oursRuns);
  report(runs, check, untrackedClicks, stopCode, ours.output());
}

interface CountCheck { rows: number; seen: number; missing: number | null; surplus: number; surplusBound: number; bots: number }

/**
 * Stored rows against the 302s wrk counted: never fewer, and more only by
 * requests in flight when wrk stopped (answered, stored, but not counted; at
 * most one per connection per run). With BENCH_CHECK_IDS=1 also every click
 * id wrk saw must be stored.
 */
async function countCheck(dbUrl: string, seen: number, idFiles: string[], untracked: number, oursRuns: number): Promise<CountCheck> {
  const client = createClient({ url: dbUrl });
  const rows = Number((await client.execute("SELECT count(*) FROM clicks")).rows[0]![0]);
  const bots = Number((await client.execute("SELECT count(*) FROM clicks WHERE is_bot = 1")).rows[0]![0]);
  let missing: number | null = null;
  if (idFiles.length > 0) {
    const stored = new Set<string>();
    for (const row of (await client.execute("SELECT id FROM clicks")).rows) stored.add(row[0] as string);
    missing = 0;
    for (const f of idFiles) {
      if (!existsSync(f)) throw new Error(`wrk wrote no id file ${f}`);
      for (const id of readFileSync(f, "utf8").split("\n")) if (id && !stored.has(id)) missing++;
    }
  }
  client.close();
  return { rows, seen, missing, surplus: rows - seen - untracked, surplusBound: oursRuns * CONNECTIONS, bots };
}

function report(runs: Run[], c: CountCheck, untracked: number, stopCode: number, serverLog: string) {
  const get = (mode: string, server: string) => runs.find((x) => x.mode === mode && x.server === server)!.r;
  const rows: string[][] = [["connections", "server", "req/s", "p50 ms", "p99 ms", "non-302", "socket errors*", "unwritten at end", "CPU steal %", "ours/bare"]];
  for (const mode of ["keep-alive", "close"]) {
    for (const server of mode === "keep-alive" ? ["bare", "ours", "smart"] : ["bare", "ours"]) {
      const run = runs.find((x) => x.mode === mode && x.server === server)!;
      const r = run.r;
      const non302 = Object.entries(r.statuses).filter(([s]) => s !== "302").reduce((a, [, n]) => a + n, 0);
      const errs = r.errors.connect + r.errors.write + r.errors.timeout + (mode === "close" ? 0 : r.errors.read);
      rows.push([mode, server, fmt.int(r.rps), fmt.ms(r.p50Ms), fmt.ms(r.p99Ms), String(non302), String(errs), run.backlog === null ? "" : fmt.int(run.backlog), r.stealPct.toFixed(1),
        server !== "bare" ? fmt.ratio(r.rps / get(mode, "bare").rps) : ""]);
    }
  }
  const ka = get("keep-alive", "ours");
  const ratio = ka.rps / get("keep-alive", "bare").rps;
  const oursNon302 = runs.filter((x) => x.server !== "bare").reduce((a, x) => a + Object.entries(x.r.statuses).filter(([s]) => s !== "302").reduce((b, [, n]) => b + n, 0), 0);
  const allStored = (c.missing ?? 0) === 0 && c.surplus >= 0 && c.surplus <= c.surplusBound && oursNon302 === 0 && stopCode === 0;
  console.log("\n" + table(rows));
  console.log("* connect/write/timeout (and read, with keep-alive). With Connection: close wrk counts each server-side close as a read error; not shown.");
  const close = get("close", "ours"), closeBare = get("close", "bare");
  console.log(`\nClicks: ${fmt.int(c.seen)} 302s counted by wrk (all runs on /go, warm-ups included), ${fmt.int(c.rows)} rows stored after SIGTERM (exit ${stopCode}); ` +
    `${c.surplus} more rows than counted 302s: requests in flight when wrk stopped (at most ${c.surplusBound}); ` +
    `${c.missing === null ? "ids not checked (BENCH_CHECK_IDS=1 checks each)" : `${c.missing} click ids seen but not stored`}; ${c.bots} flagged as bots.`);
  const last = serverLog.trim().split("\n").filter((l) => l.startsWith("SIGTERM")).pop();
  if (last) console.log(`Server on stop: ${last}`);
  for (const l of serverLog.split("\n").filter((x) => /warn|error|fail|stay on/i.test(x))) console.log(`Server said: ${l}`);
  console.log(`Load average after: ${loadavg()[0]!.toFixed(2)} (other work on this machine moves absolute figures by +-20%; compare the ratio)`);
  console.log(`\n${verdict(ratio >= TARGET.ratio)}  keep-alive ratio ours/bare ${fmt.ratio(ratio)} (target >= ${TARGET.ratio})`);
  console.log(`${verdict(ka.p99Ms < TARGET.p99Ms)}  keep-alive p99 ${fmt.ms(ka.p99Ms)} ms (target < ${TARGET.p99Ms} ms)`);
  console.log(`${verdict(allStored)}  every 302 has its stored click (${fmt.int(c.rows)} stored = ${fmt.int(c.seen)} counted + ${c.surplus} in flight + ${untracked} sample request, ${oursNon302} non-302 answers${c.missing === null ? "" : `, ${c.missing} ids missing`})`);
  const smart = get("keep-alive", "smart");
  const smartRatio = smart.rps / ka.rps;
  console.log(`${verdict(smartRatio >= TARGET.smartRatio)}  smart link /go/m/{code}: ${fmt.int(smart.rps)} req/s, p99 ${fmt.ms(smart.p99Ms)} ms = ${fmt.ratio(smartRatio)} of /go/{slug} in the same run (target >= ${TARGET.smartRatio})`);
  console.log(`(no target) Connection: close: ratio ${fmt.ratio(close.rps / closeBare.rps)}, p99 ours ${fmt.ms(close.p99Ms)} ms, bare ${fmt.ms(closeBare.p99Ms)} ms`);
}

await (MODE === "sqld" ? mainSqld() : main());
