import { randomBytes } from "node:crypto";

/**
 * One line per event: a request, a job run, an error. `json` for production
 * (one object per line, for a log shipper), `text` for a person at a terminal.
 * Request lines are off until serve() configures the log (tests that drive
 * app.handle() stay quiet unless they ask for the lines).
 */
export type LogFormat = "json" | "text";
export type LogFields = Record<string, string | number | boolean | null | undefined>;
type Sink = (line: string) => void;

// A closed stdout (EPIPE) must not turn a request into an error: the line is lost, the answer is not.
const stdoutSink: Sink = (line) => { try { process.stdout.write(line + "\n"); } catch { /* nowhere to write */ } };
const stderrSink: Sink = (line) => { try { process.stderr.write(line + "\n"); } catch { /* nowhere to write */ } };

let format: LogFormat = "text";
let requestsOn = false;
let out: Sink = stdoutSink;
let err: Sink = stderrSink;

/**
 * Request lines are written in chunks (every 50 ms or 512 lines), not one
 * write per request: on the redirect path the write, not the line, was the cost.
 */
let pending: string[] = [];
let flushTimer: ReturnType<typeof setTimeout> | null = null;
function flushPending(): void {
  if (flushTimer) { clearTimeout(flushTimer); flushTimer = null; }
  if (pending.length === 0) return;
  const lines = pending;
  pending = [];
  out(lines.join("\n"));
}

/** ISO time, rebuilt only when the millisecond changes (many requests share one). */
let isoMs = 0;
let isoText = "";
function isoNow(): string {
  const now = Date.now();
  if (now !== isoMs) { isoMs = now; isoText = new Date(now).toISOString(); }
  return isoText;
}

export function configureLog(opts: { format: LogFormat; requests: boolean; out?: Sink; err?: Sink }): void {
  flushPending();
  format = opts.format;
  requestsOn = opts.requests;
  out = opts.out ?? stdoutSink;
  err = opts.err ?? stderrSink;
}

export function logFormat(): LogFormat { return format; }

/** Short random id that ties an error's log line to the answer a client got. */
export function errorId(): string { return randomBytes(6).toString("hex"); }

function render(level: string, msg: string, fields: LogFields): string {
  const t = isoNow();
  if (format === "json") return JSON.stringify({ t, level, msg, ...fields });
  let line = `${t} ${level.toUpperCase()} ${msg}`;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) line += ` ${k}=${typeof v === "string" && /\s/.test(v) ? JSON.stringify(v) : v}`;
  return line;
}

export function logInfo(msg: string, fields: LogFields = {}): void { out(render("info", msg, fields)); }
export function logWarn(msg: string, fields: LogFields = {}): void { err(render("warn", msg, fields)); }

/** An error as one line: its message and where it came from, never a page of (minified) source. */
export function describeError(e: unknown): { error: string; at?: string } {
  if (!(e instanceof Error)) return { error: String(e).slice(0, 500) };
  const frame = e.stack?.split("\n").find((l) => /^\s+at /.test(l))?.trim().replace(/^at /, "");
  return { error: `${e.name}: ${e.message}`.replace(/\s*\n\s*/g, " ").slice(0, 1000), ...(frame ? { at: frame.slice(0, 300) } : {}) };
}

/** Logs an error with a fresh id and returns the id (put it in the 500 answer). */
export function logError(msg: string, e: unknown, fields: LogFields = {}): string {
  const id = errorId();
  err(render("error", msg, { id, ...fields, ...describeError(e) }));
  return id;
}

/** One line per answered request (when enabled). Path without its query: queries may carry tokens. */
export function logRequest(method: string, route: string, path: string, status: number, ms: number): void {
  if (!requestsOn) return;
  const t = isoNow();
  const rounded = Math.round(ms * 100) / 100;
  // Built by hand: method and route are ours; only the path needs JSON escaping.
  pending.push(format === "json"
    ? `{"t":"${t}","level":"info","msg":"request","method":"${method}","route":${JSON.stringify(route)},"path":${JSON.stringify(path)},"status":${status},"ms":${rounded}}`
    : `${t} ${method} ${path} ${status} ${rounded}ms`);
  if (pending.length >= 512) flushPending();
  else if (!flushTimer) flushTimer = setTimeout(flushPending, 50);
}

export function requestLogEnabled(): boolean { return requestsOn; }

/** Writes request lines still waiting for their tick (before exit). */
export function flushLog(): void { flushPending(); }
