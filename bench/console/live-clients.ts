/**
 * The SSE side of bench/console/live.ts, in its own process (its CPU is not the
 * server's): opens one raw HTTP/1.1 connection per session to GET /live with
 * the session cookie, de-chunks the stream, parses SSE frames and records when
 * each conversion's first event arrived on each connection. Page re-fetches
 * (public/live.js) are not simulated: a page here only listens.
 *
 *   bun bench/console/live-clients.ts PORT SESSIONS_JSON
 *   stdin:  "report FILE"  latency and scope check for the conversions in FILE
 *           "exit"
 *   stdout: "CLIENTS_READY {...}", then one "CLIENTS_REPORT {...}" per report
 *
 * Times are epoch milliseconds with sub-ms precision (performance.timeOrigin +
 * performance.now()), comparable with the sender's in another process.
 */
import { readFileSync } from "node:fs";
import type { Socket } from "bun";

export interface SessionSpec { cookie: string; role: "admin" | "brand" | "publisher"; brandId: string | null; publisherId: string | null }
/** What the sender wrote for each postback. */
export interface SentConversion { id: string; brandId: string; publisherId: string; sentAt: number; answeredAt: number; warm: boolean }

const now = () => performance.timeOrigin + performance.now();
const [port, sessionsFile] = [Number(process.argv[2]), process.argv[3]!];
const sessions = JSON.parse(readFileSync(sessionsFile, "utf8")) as SessionSpec[];

interface Conn {
  spec: SessionSpec;
  status: number;
  headerDone: boolean;
  /** latin1 text: one char per byte, so chunk sizes count characters. */
  raw: string;
  body: string;
  chunkLeft: number;
  arrivals: Map<string, number>;
  frames: number;
  heartbeats: number;
  closed: boolean;
  opened: () => void;
}

const conns: Conn[] = [];

/** Chunked transfer-encoding: moves complete chunk payloads from raw into body. */
function dechunk(c: Conn) {
  for (;;) {
    if (c.chunkLeft > 0) {
      const take = Math.min(c.chunkLeft, c.raw.length);
      c.body += c.raw.slice(0, take);
      c.raw = c.raw.slice(take);
      c.chunkLeft -= take;
      if (c.chunkLeft > 0) return;
      c.chunkLeft = -2; // the CRLF after the payload
    }
    if (c.chunkLeft === -2) {
      if (c.raw.length < 2) return;
      c.raw = c.raw.slice(2);
      c.chunkLeft = 0;
    }
    const eol = c.raw.indexOf("\r\n");
    if (eol < 0) return;
    const size = parseInt(c.raw.slice(0, eol), 16);
    c.raw = c.raw.slice(eol + 2);
    if (size === 0) { c.closed = true; return; }
    c.chunkLeft = size;
  }
}

function frames(c: Conn) {
  let end: number;
  while ((end = c.body.indexOf("\n\n")) >= 0) {
    const frame = c.body.slice(0, end);
    c.body = c.body.slice(end + 2);
    if (frame.startsWith(":")) { if (frame.includes("heartbeat")) c.heartbeats++; continue; }
    let data = "";
    for (const line of frame.split("\n")) if (line.startsWith("data: ")) data += line.slice(6);
    if (!data) continue;
    c.frames++;
    const e = JSON.parse(data) as { type: string; conversion_id?: string };
    if (e.conversion_id && !c.arrivals.has(e.conversion_id)) c.arrivals.set(e.conversion_id, now());
  }
}

function onData(c: Conn, bytes: Uint8Array) {
  c.raw += Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  if (!c.headerDone) {
    const end = c.raw.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = c.raw.slice(0, end);
    c.raw = c.raw.slice(end + 4);
    c.status = Number(head.split(" ")[1]);
    c.headerDone = true;
    c.opened();
    if (c.status !== 200) return;
    if (!/transfer-encoding: chunked/i.test(head)) throw new Error(`expected a chunked SSE stream, got:\n${head}`);
  }
  dechunk(c);
  frames(c);
}

function open(spec: SessionSpec): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const c: Conn = { spec, status: 0, headerDone: false, raw: "", body: "", chunkLeft: 0, arrivals: new Map(), frames: 0, heartbeats: 0, closed: false, opened: () => resolve(c) };
    conns.push(c);
    Bun.connect({
      hostname: "127.0.0.1", port,
      socket: {
        open(s: Socket) { s.write(`GET /live HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\nCookie: ${spec.cookie}\r\n\r\n`); },
        data(_s: Socket, bytes: Uint8Array) { onData(c, bytes); },
        close() { c.closed = true; },
        error(_s: Socket, e: Error) { c.closed = true; reject(e); },
      },
    }).catch(reject);
  });
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const mayHear = (s: SessionSpec, x: SentConversion) =>
  s.role === "admin" || (s.role === "brand" ? s.brandId === x.brandId : s.publisherId === x.publisherId);

/** Latency per delivery and per conversion (its last page), deliveries vs expected, scope violations. */
function report(file: string) {
  const sent = JSON.parse(readFileSync(file, "utf8")) as SentConversion[];
  const byId = new Map(sent.map((x) => [x.id, x]));
  const fromSend: number[] = [], fromAnswer: number[] = [], lastPage: number[] = [];
  let expected = 0, delivered = 0, violations = 0;
  const lastArrival = new Map<string, number>();
  for (const c of conns) {
    for (const id of c.arrivals.keys()) {
      const x = byId.get(id);
      if (x && !mayHear(c.spec, x)) violations++;
    }
  }
  for (const x of sent) {
    if (x.warm) continue;
    for (const c of conns) {
      if (!mayHear(c.spec, x)) continue;
      expected++;
      const at = c.arrivals.get(x.id);
      if (at === undefined) continue;
      delivered++;
      fromSend.push(at - x.sentAt);
      fromAnswer.push(at - x.answeredAt);
      lastArrival.set(x.id, Math.max(lastArrival.get(x.id) ?? 0, at));
    }
    const last = lastArrival.get(x.id);
    if (last !== undefined) lastPage.push(last - x.sentAt);
  }
  const stats = (a: number[]) => { a.sort((p, q) => p - q); return { p50: percentile(a, 50), p99: percentile(a, 99), max: a.at(-1) ?? NaN }; };
  return {
    conversions: sent.filter((x) => !x.warm).length, expected, delivered, violations,
    fromSend: stats(fromSend), fromAnswer: stats(fromAnswer), lastPage: stats(lastPage),
    open: conns.filter((c) => !c.closed).length, heartbeats: conns.reduce((a, c) => a + c.heartbeats, 0),
  };
}

const t0 = now();
for (let i = 0; i < sessions.length; i += 50) await Promise.all(sessions.slice(i, i + 50).map(open));
const notOk = conns.filter((c) => c.status !== 200).length;
console.log(`CLIENTS_READY ${JSON.stringify({ open: conns.length - notOk, notOk, ms: Math.round(now() - t0) })}`);

for await (const line of console) {
  const [cmd, arg] = line.trim().split(" ");
  if (cmd === "report") console.log(`CLIENTS_REPORT ${JSON.stringify(report(arg!))}`);
  if (cmd === "exit") process.exit(0);
}
