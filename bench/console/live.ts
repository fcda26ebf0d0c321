/**
 * Live console benchmark: one instance holds 1,000 open SSE connections to the
 * real authenticated GET /live while 200 conversions/s are recorded through
 * POST /api/conv; every conversion's event must reach every connection allowed
 * to see it (its publisher's sessions, its brand's sessions, every admin) in
 * < 1 s p99, and no connection may hear of one it may not see. Then the
 * redirect ratio of bench/redirect (/go vs a bare Bun.serve 302, same run)
 * without, with idle, and with busy SSE connections: the drop must stay <= 10%.
 *
 *   bun bench/console/live.ts   (or npm run bench:console-live; ~3 min)
 *   knobs: BENCH_RATE=200 BENCH_SECONDS=20 BENCH_WARMUP_SECONDS=2 BENCH_PUBLISHERS=300
 *          BENCH_BRANDS=30 BENCH_SESSIONS=600,300,100 (publisher,brand,admin)
 *          BENCH_REDIRECT_SECONDS=6 BENCH_ROUNDS=3 BENCH_CONNECTIONS=64 (wrk) WRK_THREADS=2
 *
 * Processes: the appliance (`bun src/cli.ts serve`, SCHEDULER=off, temp
 * database), the SSE clients (live-clients.ts), the paced sender
 * (live-sender.ts), wrk and the bare 302 server: each its own process.
 * Sessions are minted with createSession (what the login form calls after
 * the password check; argon2 for 1,000 users would only slow the seed).
 * Latency is measured from the moment the postback was sent (and, printed
 * too, from its 200 answer) to the event's arrival on the connection; the
 * pages' re-fetches (public/live.js) are not simulated.
 * Exits non-zero only when something crashes; missed targets print MISS.
 */
import { createClient } from "@libsql/client";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { SYSTEM } from "../../src/auth/authenticate";
import { createSession } from "../../src/auth/sessions";
import { createUser } from "../../src/auth/users/create-user";
import { boot } from "../../src/boot";
import { loadConfig } from "../../src/config";
import { seedDemo } from "../../src/demo";
import { createApproval } from "../../src/network/approvals";
import { createBrand, createBrandApiKey } from "../../src/network/brands";
import { createProgram } from "../../src/network/programs";
import { createPublisher } from "../../src/network/publishers";
import { uuidv7 } from "../../src/shared/ids";
import { BROWSER_UA, cpuSeconds, fmt, ROOT, startChild, table, tempDir, verdict, wrk, type Child, type WrkResult } from "../lib";
import type { SentConversion, SessionSpec } from "./live-clients";
import type { Target } from "./live-sender";

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const PUBLISHERS = Number(process.env.BENCH_PUBLISHERS ?? 300);
const BRANDS = Number(process.env.BENCH_BRANDS ?? 30);
const [PUB_SESSIONS, BRAND_SESSIONS, ADMIN_SESSIONS] = (process.env.BENCH_SESSIONS ?? "600,300,100").split(",").map(Number) as [number, number, number];
const REDIRECT_SECONDS = Number(process.env.BENCH_REDIRECT_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const THREADS = Number(process.env.WRK_THREADS ?? 2);
const TARGET = { p99Ms: 1000, drop: 0.1 };
/** BENCH_ONLY=latency skips the redirect runs (quicker while working on the fan-out). */
const ONLY_LATENCY = process.env.BENCH_ONLY === "latency";
/** Extra bun flags for the appliance, e.g. BENCH_SERVER_FLAGS="--cpu-prof-md --cpu-prof-dir=/tmp/prof". */
const SERVER_FLAGS = (process.env.BENCH_SERVER_FLAGS ?? "").split(" ").filter(Boolean);

interface Seeded { goPath: string; sessions: SessionSpec[]; targets: Target[] }

/** The demo network plus BRANDS brands (2 programs, a live key each), PUBLISHERS publishers in 2 programs each, one click per approval, users and sessions. */
export async function seed(dbUrl: string): Promise<Seeded> {
  const { ctx, database } = await boot(loadConfig({ DATABASE_URL: dbUrl, SCHEDULER: "off" }), { geoBytes: null });
  const demo = await seedDemo(ctx);
  const programs: { id: string; brandId: string; key: string }[] = [];
  const brandIds: string[] = [];
  for (let b = 0; b < BRANDS; b++) {
    const brand = await createBrand(ctx, SYSTEM, { name: `Bench Brand ${b}` });
    const { key } = await createBrandApiKey(ctx, SYSTEM, brand.id, "live");
    brandIds.push(brand.id);
    for (const kind of ["A", "B"]) {
      const p = await createProgram(ctx, SYSTEM, { brand_id: brand.id, name: `Bench ${b}${kind}`, dest_url: `https://shop${b}.example/${kind}`, status: "active",
        commission_type: "percentage", commission_value: "10", currency: "USD", cookie_window_days: 30, network_fee_pct: "20", pass_through_params: false });
      programs.push({ id: p.id, brandId: brand.id, key });
    }
  }
  const publisherIds: string[] = [];
  const targets: Target[] = [];
  const clickRows: (string | number)[][] = [];
  const clickAt = Date.now() - 3_600_000;
  for (let i = 0; i < PUBLISHERS; i++) {
    const pub = await createPublisher(ctx, SYSTEM, { name: `Bench Publisher ${i}`, email: `p${i}@bench.example` });
    publisherIds.push(pub.id);
    for (const j of [i % programs.length, (i * 7 + 13) % programs.length]) {
      const program = programs[j]!;
      const { approval } = await createApproval(ctx, SYSTEM, { program_id: program.id, publisher_id: pub.id });
      const clickId = uuidv7(clickAt + targets.length);
      clickRows.push([clickId, approval.id, program.id, pub.id, clickAt + targets.length, BROWSER_UA, 0, "link"]);
      targets.push({ programId: program.id, clickId, key: program.key, brandId: program.brandId, publisherId: pub.id });
    }
  }
  for (let i = 0; i < clickRows.length; i += 100) {
    const part = clickRows.slice(i, i + 100);
    await ctx.client.execute({ sql: `INSERT INTO clicks (id, approval_id, program_id, publisher_id, created_at, user_agent, is_bot, via) VALUES ${part.map(() => "(?,?,?,?,?,?,?,?)").join(",")}`, args: part.flat() });
  }
  const sessions: SessionSpec[] = [];
  const addUser = async (n: number, role: SessionSpec["role"], party: { brandId?: string; publisherId?: string }) => {
    const u = await createUser(ctx, SYSTEM, { email: `${role}${n}@bench.example`, role, ...party });
    const { token } = await createSession(ctx, u.id, null);
    sessions.push({ cookie: `lc_session=${token}`, role, brandId: party.brandId ?? null, publisherId: party.publisherId ?? null });
  };
  for (let n = 0; n < PUB_SESSIONS; n++) await addUser(n, "publisher", { publisherId: publisherIds[n % publisherIds.length]! });
  for (let n = 0; n < BRAND_SESSIONS; n++) await addUser(n, "brand", { brandId: brandIds[n % brandIds.length]! });
  for (let n = 0; n < ADMIN_SESSIONS; n++) await addUser(n, "admin", {});
  await ctx.clicks.close();
  database.close();
  return { goPath: new URL(demo.links[0]!.url).pathname, sessions, targets };
}

/** VmRSS of a process, MB. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A child speaking line protocol on stdout (PREFIX {...}); `next(prefix)` resolves with the next such line's JSON. */
function lines(proc: { stdout: ReadableStream<Uint8Array>; stderr: ReadableStream<Uint8Array>; exited: Promise<number> }, name: string) {
  let out = "", err = "";
  const waiters: { prefix: string; resolve: (v: any) => void }[] = [];
  const dec = new TextDecoder();
  void (async () => {
    const reader = proc.stdout.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      out += dec.decode(r.value, { stream: true });
      let nl: number;
      while ((nl = out.indexOf("\n")) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const w = waiters.find((x) => line.startsWith(x.prefix + " "));
        if (w) { waiters.splice(waiters.indexOf(w), 1); w.resolve(JSON.parse(line.slice(w.prefix.length + 1))); }
        else if (line.trim()) console.log(`  [${name}] ${line}`);
      }
    }
  })();
  void (async () => {
    const reader = proc.stderr.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) err += dec.decode(r.value, { stream: true });
  })();
  proc.exited.then((code) => { if (code !== 0 && code !== 143) console.error(`${name} exited ${code}:\n${err}`); }); // 143: our own SIGTERM
  return (prefix: string) => new Promise<any>((resolve, reject) => {
    waiters.push({ prefix, resolve });
    proc.exited.then((code) => reject(new Error(`${name} exited (${code}) before ${prefix}:\n${err}`)));
  });
}

async function runSender(port: number, targetsFile: string, out: string, tag: string) {
  const proc = Bun.spawn(["bun", "bench/console/live-sender.ts", String(port), targetsFile, String(RATE), String(SECONDS), String(WARMUP_SECONDS), out, tag],
    { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  return lines(proc, "sender")("SENDER_DONE") as Promise<{ requested: number; ok: number; statuses: Record<string, number>; sendRate: number; okRate: number; answerP50: number; answerP99: number; maxLateMs: number }>;
}

/** `cpuUs`: the appliance's CPU per /go answered, µs (steadier than req/s when other work shares the machine). */
interface Redirect { bare: WrkResult; ours: WrkResult; ratio: number; cpuUs: number; cpuPct: number; backlog: number }
/** Rounds averaged: req/s, p99 and steal as means, the ratio as the mean of each round's ratio. */
function mean(runs: Redirect[]): Redirect {
  const avg = (f: (r: Redirect) => number) => runs.reduce((a, r) => a + f(r), 0) / runs.length;
  const w = (pick: (r: Redirect) => WrkResult): WrkResult => ({ ...pick(runs[0]!), rps: avg((r) => pick(r).rps), p99Ms: avg((r) => pick(r).p99Ms), stealPct: avg((r) => pick(r).stealPct) });
  return { bare: w((r) => r.bare), ours: w((r) => r.ours), ratio: avg((r) => r.ratio), cpuUs: avg((r) => r.cpuUs), cpuPct: avg((r) => r.cpuPct), backlog: Math.max(...runs.map((r) => r.backlog)) };
}
async function redirect(ours: Child, bare: Child, goPath: string, warm = false): Promise<Redirect> {
  const run = (server: Child, path: string, seconds: number) => wrk({
    url: `http://127.0.0.1:${server.port}${path}`, connections: CONNECTIONS, threads: THREADS, seconds,
    script: join(ROOT, "bench", "redirect.lua"), headers: [`User-Agent: ${BROWSER_UA}`, "Accept: text/html"],
  });
  if (warm) { await run(bare, "/go/x", 2); await run(ours, goPath, 2); }
  const b = await run(bare, "/go/x", REDIRECT_SECONDS);
  const cpu0 = cpuSeconds(ours.pid)!;
  const o = await run(ours, goPath, REDIRECT_SECONDS);
  const cpu = cpuSeconds(ours.pid)! - cpu0;
  // Clicks accepted but not yet written when wrk stopped: a full buffer makes /go wait (CLICK_MAX_UNWRITTEN).
  const health = await fetch(`http://127.0.0.1:${ours.port}/healthz`).then((r) => r.json() as Promise<{ buffered_clicks?: number }>, () => ({ buffered_clicks: NaN }));
  return { bare: b, ours: o, ratio: o.rps / b.rps, cpuUs: (1e6 * cpu) / o.requests, cpuPct: (100 * cpu) / o.durationS, backlog: health.buffered_clicks ?? NaN };
}

/** wrk on /go while the sender records RATE postbacks/s (it starts WARMUP_SECONDS earlier and runs past the two wrk runs). */
async function redirectWhileSending(server: Child, bare: Child, seeded: Seeded, targetsFile: string, sentFile: string, tag: string) {
  const sending = runSender(server.port, targetsFile, sentFile, tag);
  await Bun.sleep(WARMUP_SECONDS * 1000);
  const r = await redirect(server, bare, seeded.goPath);
  return { r, sender: await sending };
}

/**
 * The fan-out alone: RATE conversion rows per second written straight into the
 * `changes` table from this process, as another instance on the same database
 * would. The server only polls and fans out (no postback work), so its CPU in
 * this phase is the cost of delivering events to the open pages.
 */
async function changesFromAnotherInstance(dbUrl: string, targets: Target[], out: string): Promise<{ rows: number; seconds: number }> {
  const client = createClient({ url: dbUrl });
  const sent: SentConversion[] = [];
  const TICK_MS = 50, perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000)), ticks = Math.round((SECONDS * 1000) / TICK_MS);
  const start = performance.now();
  for (let k = 0; k < ticks; k++) {
    const wait = start + k * TICK_MS - performance.now();
    if (wait > 1) await Bun.sleep(wait);
    const rows = Array.from({ length: perTick }, (_, j) => {
      const i = k * perTick + j, t = targets[(i * 7919) % targets.length]!;
      return { id: `fanout-${i}`, t };
    });
    await client.execute({
      sql: `INSERT INTO changes (at, kind, entity_id, brand_id, publisher_id, program_id, origin, payload) VALUES ${rows.map(() => "(?, 'conversion.created', ?, ?, ?, ?, 'bench', '{\"is_test\":false}')").join(",")}`,
      args: rows.flatMap((r) => [Date.now(), r.id, r.t.brandId, r.t.publisherId, r.t.programId]),
    });
    const at = performance.timeOrigin + performance.now();
    for (const r of rows) sent.push({ id: r.id, brandId: r.t.brandId, publisherId: r.t.publisherId, sentAt: at, answeredAt: at, warm: false });
  }
  client.close();
  writeFileSync(out, JSON.stringify(sent));
  return { rows: sent.length, seconds: (performance.now() - start) / 1000 };
}

type Stats = { p50: number; p99: number; max: number };
type Report = { conversions: number; expected: number; delivered: number; violations: number; open: number; heartbeats: number; fromSend: Stats; fromAnswer: Stats; lastPage: Stats };
type Sender = Awaited<ReturnType<typeof runSender>>;

async function main() {
  const tmp = tempDir("console-live");
  const dbUrl = `file:${join(tmp.dir, "bench.db")}`;
  let t = performance.now();
  const seeded = await seed(dbUrl);
  const sessionsFile = join(tmp.dir, "sessions.json"), targetsFile = join(tmp.dir, "targets.json");
  writeFileSync(sessionsFile, JSON.stringify(seeded.sessions));
  writeFileSync(targetsFile, JSON.stringify(seeded.targets));
  console.log(`Live console benchmark: ${PUBLISHERS} publishers, ${BRANDS} brands (${seeded.targets.length} approvals, one click each), ` +
    `${seeded.sessions.length} sessions (${PUB_SESSIONS} publisher, ${BRAND_SESSIONS} brand, ${ADMIN_SESSIONS} admin), seeded in ${((performance.now() - t) / 1000).toFixed(1)} s; ` +
    `${RATE} postbacks/s for ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up); ${navigator.hardwareConcurrency} cores, load average ${loadavg()[0]!.toFixed(2)}`);

  const server = await startChild("lastclick", ["bun", ...SERVER_FLAGS, "src/cli.ts", "serve"],
    { DATABASE_URL: dbUrl, SCHEDULER: "off", HOST: "127.0.0.1", PORT: "0" }, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
  const bare = await startChild("bare", ["bun", "bench/bare-302.ts"], {}, /bare listening on http:\/\/127\.0\.0\.1:(\d+)/);
  let clients: Subprocess | null = null;
  try {
    const openClients = async () => {
      const proc = Bun.spawn(["bun", "bench/console/live-clients.ts", String(server.port), sessionsFile], { cwd: ROOT, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
      clients = proc;
      const next = lines(proc, "clients");
      const ready = await next("CLIENTS_READY") as { open: number; notOk: number; ms: number };
      console.log(`  ${ready.open} SSE connections open in ${ready.ms} ms (${ready.notOk} refused); server RSS ${rssMb(server.pid).toFixed(0)} MB`);
      return { proc, next, ready };
    };
    // No SSE and idle SSE alternate ROUNDS times (the connections closed and opened again in between): on a
    // shared machine one pair of runs can differ by more than the 10% this compares.
    const noneRuns: Redirect[] = [], idleRuns: Redirect[] = [];
    let noneBusy: { r: Redirect; sender: Sender } | null = null;
    let rss0 = rssMb(server.pid);
    let opened: Awaited<ReturnType<typeof openClients>> | null = null;
    // The same postbacks with no page open: the server's CPU per postback without any fan-out.
    const c0 = cpuSeconds(server.pid)!;
    const alone = await runSender(server.port, targetsFile, join(tmp.dir, "sent-alone.json"), "alone");
    const aloneCpuMs = (1000 * (cpuSeconds(server.pid)! - c0)) / alone.ok;
    console.log(`  ${RATE} postbacks/s, no SSE: ${alone.okRate.toFixed(1)}/s answered, server CPU ${fmt.ms(aloneCpuMs)} ms per postback`);
    for (let round = 0; round < (ONLY_LATENCY ? 0 : ROUNDS); round++) {
      const none = await redirect(server, bare, seeded.goPath, round === 0);
      noneRuns.push(none);
      console.log(`  round ${round + 1}, no SSE: ours ${fmt.int(none.ours.rps)} req/s, bare ${fmt.int(none.bare.rps)} req/s, ratio ${fmt.ratio(none.ratio)}`);
      if (round === 0) {
        noneBusy = await redirectWhileSending(server, bare, seeded, targetsFile, join(tmp.dir, "sent-nosse.json"), "nosse");
        console.log(`  no SSE + ${RATE} postbacks/s: ours ${fmt.int(noneBusy.r.ours.rps)} req/s, bare ${fmt.int(noneBusy.r.bare.rps)} req/s, ratio ${fmt.ratio(noneBusy.r.ratio)}`);
      }
      rss0 = rssMb(server.pid);
      opened = await openClients();
      const idle = await redirect(server, bare, seeded.goPath);
      idleRuns.push(idle);
      console.log(`  round ${round + 1}, ${opened.ready.open} idle SSE: ours ${fmt.int(idle.ours.rps)} req/s, bare ${fmt.int(idle.bare.rps)} req/s, ratio ${fmt.ratio(idle.ratio)}`);
      if (round < ROUNDS - 1) { opened.proc.kill(); await opened.proc.exited; opened = null; await Bun.sleep(1000); }
    }
    opened ??= await openClients();
    const { proc, next, ready } = opened;
    const rss1 = rssMb(server.pid);
    const report = async (file: string) => { proc.stdin.write(`report ${file}\n`); proc.stdin.flush(); return await next("CLIENTS_REPORT") as Report; };
    const none = noneRuns.length ? mean(noneRuns) : null, idle = idleRuns.length ? mean(idleRuns) : null;

    const cpu0 = [cpuSeconds(server.pid)!, cpuSeconds(proc.pid)!], wall0 = performance.now();
    const sentFile = join(tmp.dir, "sent-live.json");
    const sender = await runSender(server.port, targetsFile, sentFile, "live");
    await Bun.sleep(2000); // stragglers: anything later than this counts as not delivered
    const wall = (performance.now() - wall0) / 1000;
    const cpu = [(cpuSeconds(server.pid)! - cpu0[0]!) / wall, (cpuSeconds(proc.pid)! - cpu0[1]!) / wall];
    const rss2 = rssMb(server.pid);
    const r = await report(sentFile);

    const fanFile = join(tmp.dir, "sent-fanout.json");
    const f0 = cpuSeconds(server.pid)!, fw0 = performance.now();
    const fan = await changesFromAnotherInstance(dbUrl, seeded.targets, fanFile);
    await Bun.sleep(2000);
    const fanCpu = cpuSeconds(server.pid)! - f0, fanWall = (performance.now() - fw0) / 1000;
    const rf = await report(fanFile);

    let busy: { r: Redirect; sender: Sender; report: Report } | null = null;
    if (!ONLY_LATENCY) {
      const sent = join(tmp.dir, "sent-busy.json");
      const b = await redirectWhileSending(server, bare, seeded, targetsFile, sent, "busy");
      await Bun.sleep(2000);
      busy = { ...b, report: await report(sent) };
      console.log(`  redirect, ${ready.open} SSE + ${RATE} postbacks/s: ours ${fmt.int(b.r.ours.rps)} req/s, bare ${fmt.int(b.r.bare.rps)} req/s, ratio ${fmt.ratio(b.r.ratio)}`);
    }
    proc.stdin.write("exit\n"); proc.stdin.flush();
    await proc.exited;
    clients = null;
    const stopCode = await server.stop();

    const ms = (v: number) => fmt.ms(v);
    const rb = busy?.report;
    console.log("\n" + table([
      ["event latency (ms)", "p50", "p99", "max", "delivered / expected", "scope violations"],
      ["from send, per page", ms(r.fromSend.p50), ms(r.fromSend.p99), ms(r.fromSend.max), `${fmt.int(r.delivered)} / ${fmt.int(r.expected)}`, String(r.violations)],
      ["from 200 answer, per page", ms(r.fromAnswer.p50), ms(r.fromAnswer.p99), ms(r.fromAnswer.max), "", ""],
      ["from send, its last page", ms(r.lastPage.p50), ms(r.lastPage.p99), ms(r.lastPage.max), `${fmt.int(r.conversions)} conversions`, ""],
      ...(rb ? [["same, while wrk hits /go", ms(rb.lastPage.p50), ms(rb.lastPage.p99), ms(rb.lastPage.max), `${fmt.int(rb.delivered)} / ${fmt.int(rb.expected)}`, String(rb.violations)]] : []),
    ]));
    console.log(`\nPostbacks: ${fmt.int(sender.ok)} x 200 of ${fmt.int(sender.requested)} sent at ${sender.sendRate.toFixed(1)}/s (answered ${sender.okRate.toFixed(1)}/s; ` +
      `answer p50 ${ms(sender.answerP50)} ms, p99 ${ms(sender.answerP99)} ms; sender at most ${ms(sender.maxLateMs)} ms behind schedule; statuses ${JSON.stringify(sender.statuses)})` +
      (busy && noneBusy ? `; while wrk ran: ${fmt.int(noneBusy.sender.ok)} x 200 at ${noneBusy.sender.okRate.toFixed(1)}/s without SSE, ${fmt.int(busy.sender.ok)} x 200 at ${busy.sender.okRate.toFixed(1)}/s with.` : "."));
    const withCpuMs = (1000 * cpu[0]! * wall) / sender.ok;
    console.log(`Fan-out alone (${fmt.int(fan.rows)} conversion rows in ${fan.seconds.toFixed(1)} s written by another process, as by another instance): ` +
      `server ${((100 * fanCpu) / fanWall).toFixed(0)}% of one core = ${fmt.ms((1e6 * fanCpu) / Math.max(rf.delivered, 1))} µs of server CPU per event per page ` +
      `(polls included); ${fmt.int(rf.delivered)} of ${fmt.int(rf.expected)} delivered, ${rf.violations} scope violations, last page p99 ${fmt.ms(rf.lastPage.p99)} ms after the row's commit (150 ms poll).`);
    console.log(`CPU during the ${RATE}/s run: server ${(cpu[0]! * 100).toFixed(0)}% of one core = ${fmt.ms(withCpuMs)} ms per postback with its fan-out to ${fmt.ms(r.expected / r.conversions)} pages ` +
      `(${fmt.ms(aloneCpuMs)} ms with no page open: fan-out ~${fmt.int((1000 * (withCpuMs - aloneCpuMs)) / (r.expected / r.conversions))} µs per page per event), SSE clients ${(cpu[1]! * 100).toFixed(0)}%; ` +
      `server RSS ${rss0.toFixed(0)} MB before the SSE connections, ${rss1.toFixed(0)} MB with them open, ${rss2.toFixed(0)} MB after the run; ` +
      `${r.open} connections still open, ${fmt.int(r.heartbeats)} heartbeats received; exit ${stopCode} on SIGTERM.`);
    const drop = (x: Redirect) => 1 - x.ratio / none!.ratio;
    if (none && noneBusy && idle && busy) {
      console.log("\n/go ratio per round, no SSE / idle SSE: " + noneRuns.map((x, i) => `${fmt.ratio(x.ratio)} / ${fmt.ratio(idleRuns[i]!.ratio)}`).join(", "));
      const row = (name: string, x: Redirect) => [name, fmt.int(x.ours.rps), ms(x.ours.p99Ms), fmt.int(x.bare.rps), fmt.ratio(x.ratio), x === none ? "" : `${(100 * drop(x)).toFixed(1)}%`,
        x.cpuUs.toFixed(0), x === none ? "" : `${(100 * (x.cpuUs / none.cpuUs - 1)).toFixed(1)}%`, x.cpuPct.toFixed(0), fmt.int(x.backlog), x.ours.stealPct.toFixed(1)];
      console.log("\n" + table([
        ["GET /go/{slug}, keep-alive", "ours req/s", "ours p99 ms", "bare req/s", "ours/bare", "drop", "server CPU µs/req", "more CPU", "server CPU %", "unwritten clicks", "CPU steal %"],
        row(`no SSE connections (${ROUNDS} rounds)`, none), row(`no SSE + ${RATE} postbacks/s`, noneBusy.r),
        row(`${ready.open} idle SSE (${ROUNDS} rounds)`, idle), row(`${ready.open} SSE + ${RATE} postbacks/s`, busy.r),
      ]));
    }
    console.log(`Load average after: ${loadavg()[0]!.toFixed(2)}`);
    const allDelivered = r.delivered === r.expected;
    console.log(`\n${verdict(ready.open >= 1000 && ready.notOk === 0 && r.open === ready.open)}  ${ready.open} SSE connections open and held (target 1,000)`);
    console.log(`${verdict(sender.okRate >= RATE * 0.98)}  ${sender.okRate.toFixed(1)} postbacks/s recorded (target ${RATE})`);
    console.log(`${verdict(r.lastPage.p99 < TARGET.p99Ms && allDelivered)}  every event on all its pages: p99 ${ms(r.lastPage.p99)} ms from send (target < ${TARGET.p99Ms} ms), ${fmt.int(r.delivered)} of ${fmt.int(r.expected)} delivered`);
    console.log(`${verdict(r.violations === 0 && (rb?.violations ?? 0) === 0 && rf.violations === 0)}  scope: ${r.violations + (rb?.violations ?? 0) + rf.violations} events on a connection that may not see them (target 0)`);
    if (none && noneBusy && idle && busy) {
      console.log(`${verdict(drop(idle) <= TARGET.drop)}  redirect ratio with ${ready.open} open SSE connections: ${fmt.ratio(idle.ratio)} vs ${fmt.ratio(none.ratio)} without (drop ${(100 * drop(idle)).toFixed(1)}%, target <= 10%); ` +
        `server CPU per /go ${idle.cpuUs.toFixed(0)} vs ${none.cpuUs.toFixed(0)} µs (${(100 * (idle.cpuUs / none.cpuUs - 1)).toFixed(1)}%)`);
      console.log(`(no target) with ${RATE} postbacks/s as well: ratio ${fmt.ratio(busy.r.ratio)} vs ${fmt.ratio(noneBusy.r.ratio)} with the same postbacks and no SSE (drop ${(100 * (1 - busy.r.ratio / noneBusy.r.ratio)).toFixed(1)}%)`);
    }
  } finally {
    (clients as Subprocess | null)?.kill(); // assigned in openClients()
    await bare.stop().catch(() => {});
    await server.stop().catch(() => {});
    tmp.remove();
  }
}

if (import.meta.main) await main();
