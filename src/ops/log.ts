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

const stdoutSink: Sink = (line) => { process.stdout.write(line + "\n"); };
const stderrSink: Sink = (line) => { process.stderr.write(line + "\n"); };

let format: LogFormat = "text";
let requestsOn = false;
let out: Sink = stdoutSink;
let err: Sink = stderrSink;

/** Request lines are written in chunks: one write per tick, not one per request. */
let pending: string[] = [];
let flushScheduled = false;
function flushPending(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  const lines = pending;
  pending = [];
  out(lines.join("\n"));
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
  const t = new Date().toISOString();
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
  const fields = { method, route, path, status, ms: Math.round(ms * 100) / 100 };
  pending.push(format === "json" ? JSON.stringify({ t: new Date().toISOString(), level: "info", msg: "request", ...fields })
    : `${new Date().toISOString()} ${method} ${path} ${status} ${fields.ms}ms`);
  if (!flushScheduled) { flushScheduled = true; setTimeout(flushPending, 0); }
}

export function requestLogEnabled(): boolean { return requestsOn; }

/** Writes request lines still waiting for their tick (before exit). */
export function flushLog(): void { flushPending(); }
