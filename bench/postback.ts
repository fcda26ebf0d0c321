/**
 * Postback benchmark: durable POST /api/conv per second with 1M clicks in the
 * database, every postback a new order naming a real stored click (so
 * attribution runs), against a bare baseline from the same run: the same
 * number of single-row INSERTs of a conversion row through @libsql/client
 * into a copy of the same database file, awaited, same concurrency. Server
 * and baseline each run in a child process; wrk drives the server.
 *
 *   bun bench/postback.ts   (BENCH_CLICKS=1000000 BENCH_SECONDS=10 BENCH_CONNECTIONS=32 WRK_THREADS=2)
 *   bun bench/postback.ts --db sqld   the same load against the embedded file and then against
 *       a libSQL server (sqld on a loopback port, SECRETS_KEY set), each with its own database
 *       holding BENCH_CLICKS (default 200,000 here) clicks; prints sqld / file (target >= 0.5)
 *
 * Exits non-zero only when something crashes; missed targets print MISS.
 */
import { createClient } from "@libsql/client";
import Database from "libsql";
import { copyFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { boot } from "../src/boot";
import { loadConfig } from "../src/config";
import { seedDemo } from "../src/demo";
import { DAY_MS } from "../src/shared/clock";
import { uuidv7 } from "../src/shared/ids";
import { BROWSER_UA, cpuSeconds, dbMode, fmt, ROOT, startBenchSqld, startChild, table, tempDir, verdict, wrk, type WrkResult } from "./lib";

const MODE = dbMode();
const CLICKS = Number(process.env.BENCH_CLICKS ?? (MODE === "sqld" ? 200_000 : 1_000_000));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const THREADS = Number(process.env.WRK_THREADS ?? 2);
const TARGET = 2000;
const SQLD_TARGET = 0.5;
const SECRETS_KEY = "bench-shared-secrets-key-0123456789abcdef";

interface Seeded { programId: string; liveKey: string; approvals: { id: string; publisherId: string }[] }

async function seed(dbUrl: string, env: Record<string, string> = {}): Promise<Seeded> {
  const { ctx, database } = await boot(loadConfig({ DATABASE_URL: dbUrl, SCHEDULER: "off", ...env }), { geoBytes: null });
  const info = await seedDemo(ctx); // a fresh database: this first seed mints the keys
  const programId = info.programs[0]!.id; // "Acme Tents": 10% commission, USD, 30-day window
  const rows = await ctx.client.execute({ sql: "SELECT id, publisher_id FROM approvals WHERE program_id = ?", args: [programId] });
  await ctx.clicks.close();
  database.close();
  return { programId, liveKey: info.keys!.liveKey, approvals: rows.rows.map((r) => ({ id: r.id as string, publisherId: r.publisher_id as string })) };
}

const CLICK_COLUMNS = ["id", "approval_id", "program_id", "publisher_id", "created_at", "ip_hash", "user_agent", "country", "sub1", "is_bot", "via"];
const PER_INSERT = 500;
const clickInsertSql = `INSERT INTO clicks (${CLICK_COLUMNS.join(",")}) VALUES ${Array.from({ length: PER_INSERT }, () => `(${CLICK_COLUMNS.map(() => "?").join(",")})`).join(",")}`;

/**
 * CLICKS rows over the last 25 days (inside the cookie window), time-ordered
 * UUIDv7 keys, PER_INSERT rows per INSERT; each yield is one INSERT's args.
 * Every 5th id goes into `sample` for the postbacks to name.
 */
function* clickRows(s: Seeded, sample: string[]): Generator<(string | number | null)[]> {
  const start = Date.now() - 25 * DAY_MS, step = (25 * DAY_MS - 60_000) / CLICKS;
  for (let at = 0; at < CLICKS; at += PER_INSERT) {
    const args: (string | number | null)[] = [];
    for (let i = at; i < at + PER_INSERT; i++) {
      const a = s.approvals[i % s.approvals.length]!;
      const createdAt = Math.floor(start + i * step);
      const id = uuidv7(createdAt);
      if (i % 5 === 0) sample.push(id);
      args.push(id, a.id, s.programId, a.publisherId, createdAt, `h${(i * 2654435761) % 4294967296}`.padEnd(22, "x"), BROWSER_UA, i % 3 ? "US" : "DE", i % 4 ? null : `nl-${i % 97}`, 0, "link");
    }
    yield args;
  }
}

/** The clicks into the embedded file: one transaction, then a checkpoint. */
function preInsertClicks(file: string, s: Seeded): string[] {
  const db = new Database(file, { timeout: 5000 } as never);
  const insert = db.prepare(clickInsertSql);
  const sample: string[] = [];
  db.exec("BEGIN");
  for (const args of clickRows(s, sample)) insert.run(args);
  db.exec("COMMIT");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  return sample;
}

/** The same clicks into a libSQL server: batches of 20 INSERTs (10,000 rows) per request. */
async function preInsertClicksRemote(url: string, s: Seeded): Promise<string[]> {
  const client = createClient({ url });
  const sample: string[] = [];
  let batch: { sql: string; args: (string | number | null)[] }[] = [];
  for (const args of clickRows(s, sample)) {
    batch.push({ sql: clickInsertSql, args });
    if (batch.length === 20) { await client.batch(batch, "write"); batch = []; }
  }
  if (batch.length) await client.batch(batch, "write");
  client.close();
  return sample;
}

/** Group commits as /metrics counts them (warm-up included): postbacks per commit and the share written as sets. */
async function groupCommits(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (re: RegExp) => Number(text.match(re)?.[1] ?? NaN);
  const commits = value(/^lastclick_write_commits_total (\d+)/m);
  const set = value(/^lastclick_write_units_total\{written="set"\} (\d+)/m), plainUnits = value(/^lastclick_write_units_total\{written="plain"\} (\d+)/m);
  return `${fmt.int(commits)} group commits, ${((set + plainUnits) / commits).toFixed(1)} writes each, ${((100 * set) / (set + plainUnits)).toFixed(0)}% written as sets`;
}

interface Measured { commits: string; cpuMs: { app: number | null; db: number | null }; r: WrkResult; ok: number; rps: number; other: [string, number][]; stopCode: number; storedN: number; credited: number; reasons: string; template: Record<string, unknown> | undefined }

/** The appliance on `dbUrl` under wrk (warm-up, then the run); then what it stored. */
async function measure(dbUrl: string, env: Record<string, string>, seeded: Seeded, idsFile: string, dbPid?: number): Promise<Measured> {
  const server = await startChild("lastclick", ["bun", "src/cli.ts", "serve"],
    { DATABASE_URL: dbUrl, SCHEDULER: "off", HOST: "127.0.0.1", PORT: "0", ...env }, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
  const load = (tag: string, seconds: number) => wrk({
    url: `http://127.0.0.1:${server.port}/api/conv`, connections: CONNECTIONS, threads: THREADS, seconds,
    script: join(import.meta.dir, "postback.lua"),
    env: { CLICK_IDS: idsFile, PROGRAM_ID: seeded.programId, API_KEY: seeded.liveKey, RUN_TAG: tag },
  });
  if (WARMUP_SECONDS > 0) await load("warm", WARMUP_SECONDS);
  const cpu0 = [cpuSeconds(server.pid), cpuSeconds(dbPid)];
  const r = await load("run", SECONDS);
  const cpu1 = [cpuSeconds(server.pid), cpuSeconds(dbPid)];
  const commits = await groupCommits(server.port);
  const stopCode = await server.stop();
  const ok = r.statuses["200"] ?? 0;
  const perOk = (i: number) => (cpu0[i] === null || cpu1[i] === null || ok === 0 ? null : (1000 * (cpu1[i]! - cpu0[i]!)) / ok);
  const other = Object.entries(r.statuses).filter(([st]) => st !== "200");

  const db = createClient({ url: dbUrl });
  const q = async (sql: string) => (await db.execute(sql)).rows;
  const [stored] = await q("SELECT count(*) n, sum(publisher_id IS NOT NULL) credited FROM conversions WHERE brand_order_ref LIKE 'run-%'");
  const reasons = await q("SELECT attribution_reason r, count(*) n FROM conversions WHERE brand_order_ref LIKE 'run-%' GROUP BY 1 ORDER BY 2 DESC");
  const [template] = (await db.execute("SELECT * FROM conversions WHERE brand_order_ref LIKE 'run-%' LIMIT 1")).rows;
  db.close();
  return {
    commits, cpuMs: { app: perOk(0), db: perOk(1) }, r, ok, rps: ok / r.durationS, other, stopCode, storedN: Number(stored!.n), credited: Number(stored!.credited),
    reasons: reasons.map((x) => `${x.r} ${x.n}`).join(", "),
    template: template && Object.fromEntries(Object.entries(template).filter(([k]) => isNaN(Number(k)) && k !== "length")),
  };
}

/** Every 200 has its stored conversion, at most one more per connection (answered after wrk stopped counting). */
function storedLine(m: Measured): boolean {
  console.log(`Stored after SIGTERM (exit ${m.stopCode}): ${fmt.int(m.storedN)} conversions for ${fmt.int(m.ok)} answered 200 (${m.storedN - m.ok} committed but answered after wrk stopped counting, at most ${CONNECTIONS}); ` +
    `${fmt.int(m.credited)} credited to a publisher; attribution: ${m.reasons}; non-200: ${m.other.length ? m.other.map(([st, n]) => `${n} x ${st}`).join(", ") : "none"}; ` +
    `socket errors: ${m.r.errors.connect + m.r.errors.read + m.r.errors.write + m.r.errors.timeout}; ${m.commits}.`);
  return m.storedN >= m.ok && m.storedN - m.ok <= CONNECTIONS && m.other.length === 0 && m.stopCode === 0;
}

const cpuMs = (v: number | null) => (v === null ? "n/a" : v.toFixed(3));

/** --db sqld: the same load on the embedded file and on a libSQL server, in this order, one invocation. */
async function mainSqld() {
  const tmp = tempDir("postback-sqld");
  const sqld = await startBenchSqld();
  try {
    const fileUrl = `file:${join(tmp.dir, "bench.db")}`;
    const serverUrl = sqld.url;
    const env = { SECRETS_KEY };
    const fileSeed = await seed(fileUrl, env);
    let t = performance.now();
    const fileIds = join(tmp.dir, "file-ids.txt");
    writeFileSync(fileIds, preInsertClicks(fileUrl.slice("file:".length), fileSeed).join("\n") + "\n");
    const fileInsert = (performance.now() - t) / 1000;
    const serverSeed = await seed(serverUrl, env);
    t = performance.now();
    const serverIds = join(tmp.dir, "sqld-ids.txt");
    writeFileSync(serverIds, (await preInsertClicksRemote(serverUrl, serverSeed)).join("\n") + "\n");
    const serverInsert = (performance.now() - t) / 1000;
    console.log(`Postback benchmark, --db sqld: ${fmt.int(CLICKS)} clicks pre-inserted (file ${fileInsert.toFixed(1)} s, sqld ${serverInsert.toFixed(1)} s); ` +
      `wrk -t${THREADS} -c${CONNECTIONS} -d${SECONDS}s (after ${WARMUP_SECONDS}s warm-up), ${navigator.hardwareConcurrency} cores, load average ${loadavg()[0]!.toFixed(2)}`);
    const file = await measure(fileUrl, env, fileSeed, fileIds);
    const server = await measure(serverUrl, env, serverSeed, serverIds, sqld.pid);
    const ratio = server.rps / file.rps;
    console.log("\n" + table([
      ["POST /api/conv", "durable writes/s", "p50 ms", "p99 ms", "count", "CPU ms/postback app", "CPU ms/postback sqld", "CPU steal %"],
      ["embedded file", fmt.int(file.rps), fmt.ms(file.r.p50Ms), fmt.ms(file.r.p99Ms), `${fmt.int(file.ok)} x 200`, cpuMs(file.cpuMs.app), "", file.r.stealPct.toFixed(1)],
      [`sqld (${serverUrl})`, fmt.int(server.rps), fmt.ms(server.r.p50Ms), fmt.ms(server.r.p99Ms), `${fmt.int(server.ok)} x 200`, cpuMs(server.cpuMs.app), cpuMs(server.cpuMs.db), server.r.stealPct.toFixed(1)],
      ["sqld / file", fmt.ratio(ratio), "", "", "", "", "", ""],
    ]));
    console.log("\nembedded file:"); const fileOk = storedLine(file);
    console.log("sqld:"); const serverOk = storedLine(server);
    console.log(`\n${verdict(ratio >= SQLD_TARGET)}  postbacks on sqld at ${fmt.ratio(ratio)}x the embedded file (target >= ${SQLD_TARGET})`);
    console.log(`${verdict(fileOk && serverOk)}  every 200 has its stored conversion, nothing but 200s (both runs)`);
  } finally {
    await sqld.stop();
    tmp.remove();
  }
}

async function main() {
  const tmp = tempDir("postback");
  const dbFile = join(tmp.dir, "bench.db"), baseFile = join(tmp.dir, "baseline.db");
  const dbUrl = `file:${dbFile}`;
  const seeded = await seed(dbUrl);
  let t = performance.now();
  const sample = preInsertClicks(dbFile, seeded);
  const insertSecs = (performance.now() - t) / 1000;
  const idsFile = join(tmp.dir, "click-ids.txt");
  writeFileSync(idsFile, sample.join("\n") + "\n");
  copyFileSync(dbFile, baseFile); // the baseline writes into the same kind of file: same schema, same 1M clicks
  console.log(`Postback benchmark: ${fmt.int(CLICKS)} clicks pre-inserted in ${insertSecs.toFixed(1)} s; wrk -t${THREADS} -c${CONNECTIONS} -d${SECONDS}s (after ${WARMUP_SECONDS}s warm-up), ${navigator.hardwareConcurrency} cores`);

  const m = await measure(dbUrl, {}, seeded, idsFile);
  const { r, ok } = m;
  const templateFile = join(tmp.dir, "template.json");
  writeFileSync(templateFile, JSON.stringify(m.template ?? {}));

  t = performance.now();
  const baseline = Bun.spawn(["bun", "bench/postback-baseline.ts", baseFile, String(ok), String(CONNECTIONS), templateFile], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [bOut, bErr, bCode] = await Promise.all([new Response(baseline.stdout).text(), new Response(baseline.stderr).text(), baseline.exited]);
  const bLine = bOut.split("\n").find((l) => l.startsWith("BASELINE_JSON "));
  if (bCode !== 0 || !bLine) throw new Error(`baseline failed (${bCode}):\n${bOut}\n${bErr}`);
  const b = JSON.parse(bLine.slice("BASELINE_JSON ".length)) as { inserts: number; seconds: number };

  const ours = ok / r.durationS, bare = b.inserts / b.seconds;
  console.log("\n" + table([
    ["", "durable writes/s", "p50 ms", "p99 ms", "count", "CPU steal %"],
    ["POST /api/conv (ours)", fmt.int(ours), fmt.ms(r.p50Ms), fmt.ms(r.p99Ms), `${fmt.int(ok)} x 200`, r.stealPct.toFixed(1)],
    ["bare single-row INSERT", fmt.int(bare), "", "", `${fmt.int(b.inserts)} in ${b.seconds.toFixed(1)} s`, ""],
    ["ours / bare", fmt.ratio(ours / bare), "", "", "", ""],
  ]));
  console.log("");
  const allStored = storedLine(m);
  console.log(`\n${verdict(ours >= TARGET)}  ${fmt.int(ours)} durable postbacks/s with ${fmt.int(CLICKS)} clicks stored (target >= ${fmt.int(TARGET)})`);
  console.log(`${verdict(allStored)}  every 200 has its stored conversion, nothing but 200s`);
  tmp.remove();
}

await (MODE === "sqld" ? mainSqld() : main());
