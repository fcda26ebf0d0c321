/**
 * A small Server-Sent Events writer (Elysia's sse() drops all but the first
 * line of multi-line data and its generator streams fail under Deno). The
 * stream is bytes; every payload line gets its own `data:` field; a comment
 * line every `heartbeatMs` keeps proxies from closing an idle connection and
 * reveals a dead client; closing (by us, by the client or on abort) runs the
 * cleanup exactly once.
 *
 * Built for many open pages: every stream with the same heartbeat period
 * shares one timer, a frame going to many streams is encoded once
 * (`encodeFrame` + `sendFrame`), and with `batchMs` the frames sent within
 * that window leave as one write (an admin page hearing 200 events/s makes
 * ~1/batch as many writes).
 */
export interface SseEvent { event?: string; id?: string | number; data: string }

/** One event frame. CR, LF and CRLF all split lines (the SSE grammar), so nothing can inject a field. */
export function sseFrame(e: SseEvent): string {
  let out = "";
  if (e.event) out += `event: ${oneLine(e.event)}\n`;
  if (e.id !== undefined) out += `id: ${oneLine(String(e.id))}\n`;
  for (const line of e.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return out + "\n";
}

/** Field values other than data must not break the frame (and an id may not hold NUL). */
const oneLine = (s: string) => s.replace(/[\r\n\0]/g, "");

const encoder = new TextEncoder();
/** The frame as bytes, to send to many streams (each gets its own copy). */
export function encodeFrame(e: SseEvent): Uint8Array {
  return encoder.encode(sseFrame(e));
}
const HEARTBEAT = encoder.encode(": heartbeat\n\n");

export interface SseOptions {
  /** Reconnection delay the browser should use, ms. */
  retryMs?: number;
  heartbeatMs?: number;
  /** Frames sent within this many ms after the first one leave as one write (0: each at once). */
  batchMs?: number;
  /** Aborts with the request: the client went away. */
  signal?: AbortSignal;
  /** Runs once when the stream ends for any reason. */
  onClose?: () => void;
}

/** Streams that share a period: one timer runs `tick` for each member, and stops with the last one. */
class Shared {
  private members = new Map<number, { streams: Set<SseStream>; timer: ReturnType<typeof setInterval> }>();
  constructor(private tick: (s: SseStream) => void, private repeat: boolean) {}

  join(ms: number, s: SseStream): void {
    let group = this.members.get(ms);
    if (!group) {
      const streams = new Set<SseStream>();
      const run = () => {
        if (!this.repeat) this.members.delete(ms);
        for (const x of streams) this.tick(x);
      };
      group = { streams, timer: this.repeat ? setInterval(run, ms) : setTimeout(run, ms) };
      this.members.set(ms, group);
    }
    group.streams.add(s);
  }

  leave(ms: number, s: SseStream): void {
    const group = this.members.get(ms);
    if (!group) return;
    group.streams.delete(s);
    if (group.streams.size === 0) {
      clearInterval(group.timer);
      clearTimeout(group.timer);
      this.members.delete(ms);
    }
  }
}

const heartbeats = new Shared((s) => s.heartbeat(), true);
const flushes = new Shared((s) => s.flush(), false);

export class SseStream {
  readonly response: Response;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private readonly heartbeatMs: number;
  private readonly batchMs: number;
  private pending: Uint8Array[] = [];
  closed = false;

  constructor(private readonly opts: SseOptions = {}) {
    this.heartbeatMs = opts.heartbeatMs ?? 15_000;
    this.batchMs = opts.batchMs ?? 0;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
        this.enqueue(encoder.encode(`retry: ${opts.retryMs ?? 2000}\n: connected\n\n`));
      },
      cancel: () => this.close(),
    });
    heartbeats.join(this.heartbeatMs, this);
    opts.signal?.addEventListener("abort", () => this.close(), { once: true });
    if (opts.signal?.aborted) this.close();
    this.response = new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive",
        // Reverse proxies (nginx) must pass each event on at once instead of buffering the stream.
        "x-accel-buffering": "no",
      },
    });
  }

  send(e: SseEvent): boolean {
    return this.sendFrame(encodeFrame(e));
  }

  /** A frame from encodeFrame(); the bytes may be shared with other streams and are never changed here. */
  sendFrame(frame: Uint8Array): boolean {
    if (this.closed || !this.controller) return false;
    if (this.batchMs <= 0) return this.enqueue(frame.slice());
    if (this.pending.push(frame) === 1) flushes.join(this.batchMs, this);
    return true;
  }

  /** Writes what the batch window collected, as one chunk (runs from the shared flush timer, and on close). */
  flush(): void {
    const frames = this.pending;
    if (frames.length === 0) return;
    this.pending = [];
    flushes.leave(this.batchMs, this);
    if (frames.length === 1) { this.enqueue(frames[0]!.slice()); return; }
    const chunk = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
    let at = 0;
    for (const f of frames) { chunk.set(f, at); at += f.length; }
    this.enqueue(chunk);
  }

  /** A comment line (runs from the shared heartbeat timer); events already waiting go first. */
  heartbeat(): void {
    this.flush();
    this.enqueue(HEARTBEAT.slice());
  }

  private enqueue(bytes: Uint8Array): boolean {
    if (this.closed || !this.controller) return false;
    try {
      this.controller.enqueue(bytes);
      return true;
    } catch {
      this.pending = [];
      this.close(); // the consumer is gone
      return false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.flush(); // events still waiting go out first (a failed write closes the stream itself)
    if (this.closed) return;
    this.closed = true;
    heartbeats.leave(this.heartbeatMs, this);
    flushes.leave(this.batchMs, this);
    try { this.controller?.close(); } catch { /* already closed by the reader */ }
    this.opts.onClose?.();
  }
}
