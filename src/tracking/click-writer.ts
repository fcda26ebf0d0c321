import type { Client } from "@libsql/client";
import { COLUMNS, insertSql, ROLLUP_SQL, rollupJson, type ClickArgs } from "./click-rows";
import type { DaySalts } from "./ip-hash";

/** Writes one batch of clicks durably; resolves once committed. */
export interface ClickWriter {
  /** `salts`: for rows that carry their IP, the salt of each of their days (a day without one: no hash). */
  write(rows: ClickArgs[], salts?: DaySalts): Promise<void>;
  /** True once the writer can no longer write (its thread died). */
  readonly broken: boolean;
  /** `timeoutMs`: how long a writer thread may take to close its connection (default 10 s). */
  close(timeoutMs?: number): Promise<void>;
}

/** Rows per statement on the in-thread path: 1,000 x 27 values stays under SQLite's 32,766. */
const INLINE_ROWS = 1000;

/** Writes through the app's own client, on the calling thread (tests, Deno, remote libSQL servers). */
export class InlineWriter implements ClickWriter {
  readonly broken = false;
  constructor(private client: Client) {}

  /** Rows must be finished (no deferred IP: the buffer does that work on this path). */
  async write(rows: ClickArgs[]): Promise<void> {
    const stmts = [];
    const rollup = rollupJson(rows);
    if (rollup) stmts.push({ sql: ROLLUP_SQL, args: [rollup] }); // first: it counts only ids the INSERT will add
    for (let at = 0; at < rows.length; at += INLINE_ROWS) {
      const part = rows.slice(at, at + INLINE_ROWS);
      if (part.some((r) => r.length !== COLUMNS.length)) throw new Error("in-thread click write got a row with a deferred IP");
      stmts.push({ sql: insertSql(part.length), args: part.flat() });
    }
    if (stmts.length === 1) await this.client.execute(stmts[0]!);
    else await this.client.batch(stmts, "write");
  }

  async close(): Promise<void> {}
}

/**
 * The local file path of a plain `file:` URL, or null when the URL is
 * anything else (remote server, in-memory, query options): those stay inline.
 */
export function localFilePath(url: string): string | null {
  if (!url.startsWith("file:") || url.includes("?") || url.includes("%")) return null;
  const path = url.startsWith("file://") ? new URL(url).pathname : url.slice("file:".length);
  return path === "" || path.startsWith(":memory:") ? null : path;
}

/** A libSQL server URL (what the click and commit threads may reach with their own @libsql/client). */
export function isServerUrl(url: string): boolean {
  return /^(libsql|https?|wss?):\/\//.test(url);
}

/**
 * The worker module: beside this file when run from source; in the single
 * binary, where everything is bundled into one module at the bunfs root, at
 * its path under src/ (scripts/build.ts must list it as an entry point).
 */
function workerUrl(): string {
  const here = import.meta.url;
  return new URL(here.includes("/$bunfs/") ? "./tracking/click-writer.worker.ts" : "./click-writer.worker.ts", here).href;
}

/** Bun's Worker can stop holding the process open; the DOM typings do not know. */
type Refable = { ref(): void; unref(): void };
const held = (w: Worker) => w as unknown as Refable;

type Reply = { type: "ready" | "closed" } | { type: "done"; id: number } | { type: "failed"; id: number | null; message: string };

/**
 * Writes on a dedicated Worker thread with its own connection to the same
 * file (or its own client to the same libSQL server). Rows cross as one JSON string per batch (the cheapest thing to post).
 * The worker is unref'd while idle and ref'd while a write is outstanding, so
 * it never keeps the process alive but a pending flush always completes.
 */
export class WorkerWriter implements ClickWriter {
  broken = false;
  private seq = 0;
  private waiting = new Map<number, { resolve(): void; reject(e: Error): void }>();
  private onReply: ((r: Reply) => void) | null = null;

  private constructor(private worker: Worker) {
    worker.onmessage = (e: MessageEvent) => this.receive(e.data as Reply);
    const fail = (why: string) => {
      this.broken = true;
      for (const w of this.waiting.values()) w.reject(new Error(why));
      this.waiting.clear();
      this.onReply?.({ type: "failed", id: null, message: why });
    };
    worker.addEventListener("error", (e) => fail(`click writer thread failed: ${(e as ErrorEvent).message}`));
    worker.addEventListener("close", () => fail("click writer thread exited"));
  }

  /**
   * Starts the thread and opens the file; rejects (and stops the thread) if
   * either fails. With `ipWork` the thread can finish rows that carry their IP.
   */
  static async start(target: { path: string } | { url: string; authToken?: string }, timeoutMs: number, ipWork?: { geoBytes: Uint8Array | null }): Promise<WorkerWriter> {
    const worker = new Worker(workerUrl());
    const writer = new WorkerWriter(worker);
    try {
      const reply = await writer.control({ type: "open", ...target, timeoutMs, ipWork }, 10_000);
      if (reply.type !== "ready") throw new Error(reply.type === "failed" ? reply.message : `unexpected ${reply.type}`);
    } catch (e) {
      writer.broken = true;
      worker.terminate();
      throw e;
    }
    held(worker).unref();
    return writer;
  }

  write(rows: ClickArgs[], salts?: DaySalts): Promise<void> {
    if (this.broken) return Promise.reject(new Error("click writer thread is not running"));
    const id = ++this.seq;
    const done = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    if (this.waiting.size === 1) held(this.worker).ref();
    this.worker.postMessage({ type: "write", id, json: JSON.stringify(rows), salts: salts?.size ? [...salts] : [] });
    return done;
  }

  async close(timeoutMs = 10_000): Promise<void> {
    if (!this.broken) {
      held(this.worker).ref();
      await this.control({ type: "close" }, timeoutMs).catch(() => {});
    }
    this.broken = true;
    this.worker.terminate();
  }

  private receive(r: Reply) {
    if (r.type === "done" || (r.type === "failed" && r.id !== null)) {
      const w = this.waiting.get(r.id!);
      this.waiting.delete(r.id!);
      if (this.waiting.size === 0) held(this.worker).unref();
      if (r.type === "done") w?.resolve(); else w?.reject(new Error(r.message));
      return;
    }
    this.onReply?.(r);
  }

  /** One request/reply outside the write stream (open, close). */
  private control(msg: object, timeoutMs: number): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => { this.onReply = null; reject(new Error("click writer thread did not answer")); }, timeoutMs);
      this.onReply = (r) => { clearTimeout(timer); this.onReply = null; resolve(r); };
      this.worker.postMessage(msg);
    });
  }
}
