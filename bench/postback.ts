/**
 * Postback benchmark: durable POST /api/conv per second with 1M clicks in the
 * database, every postback a new order naming a real stored click (so
 * attribution runs), against a bare baseline from the same run: the same
 * number of single-row INSERTs of a conversion row through @libsql/client
 * into a copy of the same database file, awaited, same concurrency. Server
 * and baseline each run in a child process; wrk drives the server.
 *
 *   bun bench/postback.ts   (BENCH_CLICKS=1000000 BENCH_SECONDS=10 BENCH_CONNECTIONS=32 WRK_THREADS=2)
 *
 * Exits non-zero only when something crashes; missed targets print MISS.
 */
import { createClient } from "@libsql/client";
import Database from "libsql";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { boot } from "../src/boot";
import { loadConfig } from "../src/config";
import { seedDemo } from "../src/demo";
import { DAY_MS } from "../src/shared/clock";
import { uuidv7 } from "../src/shared/ids";
import { BROWSER_UA, fmt, ROOT, startChild, table, tempDir, verdict, wrk } from "./lib";

const CLICKS = Number(process.env.BENCH_CLICKS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const THREADS = Number(process.env.WRK_THREADS ?? 2);
const TARGET = 2000;

interface Seeded { programId: string; liveKey: string; approvals: { id: string; publisherId: string }[] }

async function seed(dbUrl: string): Promise<Seeded> {
  const { ctx, database } = await boot(loadConfig({ DATABASE_URL: dbUrl, SCHEDULER: "off" }), { geoBytes: null });
  const info = await seedDemo(ctx); // a fresh database: this first seed mints the keys
  const programId = info.programs[0]!.id; // "Acme Tents": 10% commission, USD, 30-day window
  const rows = await ctx.client.execute({ sql: "SELECT id, publisher_id FROM approvals WHERE program_id = ?", args: [programId] });
  await ctx.clicks.close();
  database.close();
  return { programId, liveKey: info.keys!.liveKey, approvals: rows.rows.map((r) => ({ id: r.id as string, publisherId: r.publisher_id as string })) };
}

/**
 * CLICKS rows over the last 25 days (inside the cookie window), time-ordered
 * UUIDv7 keys, 500 rows per INSERT, one transaction. Returns every 5th id
 * for the postbacks to name.
 */
function preInsertClicks(file: string, s: Seeded): string[] {
  const cols = ["id", "approval_id", "program_id", "publisher_id", "created_at", "ip_hash", "user_agent", "country", "sub1", "is_bot", "via"];
  const PER = 500;
  const db = new Database(file, { timeout: 5000 } as never);
  const insert = db.prepare(`INSERT INTO clicks (${cols.join(",")}) VALUES ${Array.from({ length: PER }, () => `(${cols.map(() => "?").join(",")})`).join(",")}`);
  const start = Date.now() - 25 * DAY_MS, step = (25 * DAY_MS - 60_000) / CLICKS;
  const sample: string[] = [];
  db.exec("BEGIN");
  for (let at = 0; at < CLICKS; at += PER) {
    const args: (string | number | null)[] = [];
    for (let i = at; i < at + PER; i++) {
      const a = s.approvals[i % s.approvals.length]!;
      const createdAt = Math.floor(start + i * step);
      const id = uuidv7(createdAt);
      if (i % 5 === 0) sample.push(id);
      args.push(id, a.id, s.programId, a.publisherId, createdAt, `h${(i * 2654435761) % 4294967296}`.padEnd(22, "x"), BROWSER_UA, i % 3 ? "US" : "DE", i % 4 ? null : `nl-${i % 97}`, 0, "link");
    }
    insert.run(args);
  }
  db.exec("COMMIT");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  return sample;
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

  const server = await startChild("lastclick", ["bun", "src/cli.ts", "serve"],
    { DATABASE_URL: dbUrl, SCHEDULER: "off", HOST: "127.0.0.1", PORT: "0" }, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
  const load = (tag: string, seconds: number) => wrk({
    url: `http://127.0.0.1:${server.port}/api/conv`, connections: CONNECTIONS, threads: THREADS, seconds,
    script: join(import.meta.dir, "postback.lua"),
    env: { CLICK_IDS: idsFile, PROGRAM_ID: seeded.programId, API_KEY: seeded.liveKey, RUN_TAG: tag },
  });
  if (WARMUP_SECONDS > 0) await load("warm", WARMUP_SECONDS);
  const r = await load("run", SECONDS);
  const stopCode = await server.stop();
  const ok = r.statuses["200"] ?? 0;
  const other = Object.entries(r.statuses).filter(([s]) => s !== "200");

  const db = createClient({ url: dbUrl });
  const q = async (sql: string) => (await db.execute(sql)).rows;
  const [stored] = await q("SELECT count(*) n, sum(publisher_id IS NOT NULL) credited FROM conversions WHERE brand_order_ref LIKE 'run-%'");
  const reasons = await q("SELECT attribution_reason r, count(*) n FROM conversions WHERE brand_order_ref LIKE 'run-%' GROUP BY 1 ORDER BY 2 DESC");
  const [template] = (await db.execute("SELECT * FROM conversions WHERE brand_order_ref LIKE 'run-%' LIMIT 1")).rows;
  db.close();
  const templateFile = join(tmp.dir, "template.json");
  writeFileSync(templateFile, JSON.stringify(Object.fromEntries(Object.entries(template ?? {}).filter(([k]) => isNaN(Number(k)) && k !== "length"))));

  t = performance.now();
  const baseline = Bun.spawn(["bun", "bench/postback-baseline.ts", baseFile, String(ok), String(CONNECTIONS), templateFile], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [bOut, bErr, bCode] = await Promise.all([new Response(baseline.stdout).text(), new Response(baseline.stderr).text(), baseline.exited]);
  const bLine = bOut.split("\n").find((l) => l.startsWith("BASELINE_JSON "));
  if (bCode !== 0 || !bLine) throw new Error(`baseline failed (${bCode}):\n${bOut}\n${bErr}`);
  const b = JSON.parse(bLine.slice("BASELINE_JSON ".length)) as { inserts: number; seconds: number };

  const ours = ok / r.durationS, bare = b.inserts / b.seconds;
  const storedN = Number(stored!.n), credited = Number(stored!.credited);
  console.log("\n" + table([
    ["", "durable writes/s", "p50 ms", "p99 ms", "count", "CPU steal %"],
    ["POST /api/conv (ours)", fmt.int(ours), fmt.ms(r.p50Ms), fmt.ms(r.p99Ms), `${fmt.int(ok)} x 200`, r.stealPct.toFixed(1)],
    ["bare single-row INSERT", fmt.int(bare), "", "", `${fmt.int(b.inserts)} in ${b.seconds.toFixed(1)} s`, ""],
    ["ours / bare", fmt.ratio(ours / bare), "", "", "", ""],
  ]));
  console.log(`\nNon-200 answers: ${other.length ? other.map(([s, n]) => `${n} x ${s}`).join(", ") : "none"}; socket errors: ${r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout}.`);
  console.log(`Stored after SIGTERM (exit ${stopCode}): ${fmt.int(storedN)} conversions for ${fmt.int(ok)} answered 200 (${storedN - ok} committed but answered after wrk stopped counting, at most ${CONNECTIONS}); ` +
    `${fmt.int(credited)} credited to a publisher; attribution: ${reasons.map((x) => `${x.r} ${x.n}`).join(", ")}.`);
  const allStored = storedN >= ok && storedN - ok <= CONNECTIONS && other.length === 0 && stopCode === 0;
  console.log(`\n${verdict(ours >= TARGET)}  ${fmt.int(ours)} durable postbacks/s with ${fmt.int(CLICKS)} clicks stored (target >= ${fmt.int(TARGET)})`);
  console.log(`${verdict(allStored)}  every 200 has its stored conversion, nothing but 200s`);
  tmp.remove();
}

await main();
