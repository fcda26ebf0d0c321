import type { InStatement } from "@libsql/client";

export type UnitResult = { changes: number[] } | { error: string };
type Reply = { type: "ready" | "closed" } | { type: "done"; id: number; results: UnitResult[] } | { type: "failed"; id: number | null; message: string };

/**
 * The worker module: beside this file when run from source; in the single
 * binary, where everything is bundled at the bunfs root, at its path under
 * src/ (scripts/build.ts lists it as an entry point).
 */
function workerUrl(): string {
  const here = import.meta.url;
  return new URL(here.includes("/$bunfs/") ? "./db/commit.worker.ts" : "./commit.worker.ts", here).href;
}

/** Bun's Worker can stop holding the process open; the DOM typings do not know. */
const held = (w: Worker) => w as unknown as { ref(): void; unref(): void };

/** Request side of commit.worker.ts: one message per transaction of many units. */
export class CommitThread {
  private seq = 0;
  private waiting = new Map<number, { resolve(r: UnitResult[]): void; reject(e: Error): void }>();
  private onControl: ((r: Reply) => void) | null = null;
  private broken = false;

  private constructor(private worker: Worker) {
    worker.onmessage = (e: MessageEvent) => this.receive(e.data as Reply);
    worker.addEventListener("error", (e) => this.fail(`commit thread failed: ${(e as ErrorEvent).message}`));
    worker.addEventListener("close", () => this.fail("commit thread exited"));
  }

  static async start(path: string, timeoutMs: number): Promise<CommitThread> {
    const t = new CommitThread(new Worker(workerUrl()));
    try {
      const reply = await t.control({ type: "open", path, timeoutMs });
      if (reply.type !== "ready") throw new Error(reply.type === "failed" ? reply.message : `unexpected ${reply.type}`);
    } catch (e) {
      t.broken = true;
      t.worker.terminate();
      throw e;
    }
    held(t.worker).unref();
    return t;
  }

  commit(units: InStatement[][]): Promise<UnitResult[]> {
    if (this.broken) return Promise.reject(new Error("commit thread is not running"));
    const id = ++this.seq;
    const done = new Promise<UnitResult[]>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    if (this.waiting.size === 1) held(this.worker).ref();
    const plain = units.map((u) => u.map((s) => (typeof s === "string" ? [s, []] : [s.sql, s.args ?? []])));
    this.worker.postMessage({ type: "commit", id, units: plain });
    return done;
  }

  async close(): Promise<void> {
    if (!this.broken) {
      held(this.worker).ref();
      await this.control({ type: "close" }).catch(() => {});
    }
    this.broken = true;
    this.worker.terminate();
  }

  get alive(): boolean { return !this.broken; }

  private fail(message: string) {
    this.broken = true;
    for (const w of this.waiting.values()) w.reject(new Error(message));
    this.waiting.clear();
  }

  private receive(r: Reply) {
    if (r.type === "done" || (r.type === "failed" && r.id !== null)) {
      const w = this.waiting.get(r.id!);
      this.waiting.delete(r.id!);
      if (this.waiting.size === 0) held(this.worker).unref();
      if (r.type === "done") w?.resolve(r.results); else w?.reject(new Error(r.message));
      return;
    }
    this.onControl?.(r);
  }

  private control(msg: object, timeoutMs = 10_000): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => { this.onControl = null; reject(new Error("commit thread did not answer")); }, timeoutMs);
      this.onControl = (r) => { clearTimeout(timer); this.onControl = null; resolve(r); };
      this.worker.postMessage(msg);
    });
  }
}
