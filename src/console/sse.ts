/**
 * A small Server-Sent Events writer (Elysia's sse() drops all but the first
 * line of multi-line data and its generator streams fail under Deno). The
 * stream is bytes; every payload line gets its own `data:` field; a comment
 * line every `heartbeatMs` keeps proxies from closing an idle connection and
 * reveals a dead client; closing (by us, by the client or on abort) runs the
 * cleanup exactly once.
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

export interface SseOptions {
  /** Reconnection delay the browser should use, ms. */
  retryMs?: number;
  heartbeatMs?: number;
  /** Aborts with the request: the client went away. */
  signal?: AbortSignal;
  /** Runs once when the stream ends for any reason. */
  onClose?: () => void;
}

export class SseStream {
  readonly response: Response;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly encoder = new TextEncoder();
  closed = false;

  constructor(private readonly opts: SseOptions = {}) {
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
        this.write(`retry: ${opts.retryMs ?? 2000}\n: connected\n\n`);
      },
      cancel: () => this.close(),
    });
    this.timer = setInterval(() => this.write(": heartbeat\n\n"), opts.heartbeatMs ?? 15_000);
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
    return this.write(sseFrame(e));
  }

  private write(text: string): boolean {
    if (this.closed || !this.controller) return false;
    try {
      this.controller.enqueue(this.encoder.encode(text));
      return true;
    } catch {
      this.close(); // the consumer is gone
      return false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    try { this.controller?.close(); } catch { /* already closed by the reader */ }
    this.opts.onClose?.();
  }
}
