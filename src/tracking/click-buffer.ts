import type { Client } from "@libsql/client";
import { spillClicks } from "./click-spill";
import { rowArgs, type ClickArgs, type ClickRow, type DeferredIp } from "./click-rows";
import { InlineWriter, isServerUrl, localFilePath, WorkerWriter, type ClickWriter } from "./click-writer";
import type { CountryLookup } from "./geo";
import { dayNumber, hashIp, type DaySalts } from "./ip-hash";
import type { IpSalts } from "./ip-salts";

export type { ClickRow, DeferredIp } from "./click-rows";

/** `seq`: the click's place in acceptance order (1-based); `answered`: its visitor has the 302. */
type Queued = { row: ClickRow; ip: DeferredIp | undefined; seq: number; answered: boolean };
/** Batches one write to the writer thread may carry when rows are waiting (2,000 rows by default). */
const WORKER_BATCHES = 4;
/** What hashing and locating a click's IP needs: the day's salt and the country lookup. */
export interface IpWork { salts: IpSalts; geo: CountryLookup }

/**
 * Clicks are accepted into memory and written as multi-row INSERTs, one
 * transaction per flush: when `batchSize` rows are waiting, every `flushMs`,
 * and on close(). The visitor never waits for the write. A failed flush keeps
 * its rows and retries.
 *
 * Crash-loss bound: at most `maxUnwritten` clicks are ever answered but not
 * yet committed (what a kill -9 can lose). A click accepted beyond that is
 * answered only once enough rows ahead of it are committed (back-pressure:
 * the visitor waits, nothing is dropped). While writes fail the bound is
 * suspended rather than turn an accepted click into an error page: waiting
 * visitors are answered and the rows stay queued for the retry.
 *
 * Writes go through the app's client on this thread until writeInWorker()
 * moves them to a Worker with its own connection (main.ts does, for files).
 * With `ipWork` the buffer hashes and locates the client IP when it writes
 * (defersIpWork), on the writer thread if there is one: such rows are
 * accepted with ipHash/country null and completed with the salt of the
 * click's day when written.
 */
export class ClickBuffer {
  private queue: Queued[] = [];
  /** The batch being written (back in the queue if the write fails). */
  private inFlight: Queued[] = [];
  /** Rows accepted but not yet committed, by id: attribution can see them. */
  private pending = new Map<string, ClickRow>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> | null = null;
  /** Clicks held back by the crash-loss bound, in acceptance order. */
  private waiters: { q: Queued; answer(): void }[] = [];
  private maxUnwritten: number;
  private closed = false;
  private inline: ClickWriter;
  private writer: ClickWriter;
  private ipWork: IpWork | null = null;
  /** Clicks accepted / committed since start. */
  accepted = 0;
  stored = 0;
  failures = 0;
  /** Clicks answered but not yet committed, now and at most since start (never above maxUnwritten while writes succeed). */
  answeredUnwritten = 0;
  peakAnsweredUnwritten = 0;

  constructor(
    client: Client,
    private opts: { flushMs: number; batchSize: number; maxUnwritten?: number; onError?: (e: unknown) => void; spillDir?: string; closeTimeoutMs?: number; ipWork?: IpWork },
  ) {
    this.writer = this.inline = new InlineWriter(client);
    this.ipWork = opts.ipWork ?? null;
    this.maxUnwritten = Math.max(1, opts.maxUnwritten ?? opts.batchSize * 2);
  }

  /**
   * Moves the writes off the request thread: a Worker with its own
   * connection to the same database file, or its own client to the same
   * libSQL server (whose writes then go out as one batch of up to
   * batchSize x WORKER_BATCHES rows per round trip). Not for in-memory or
   * file URLs with options; for those, or if the worker cannot start (e.g. a binary built without
   * its entry point), writes stay on this thread and the reason is returned.
   * With ipWork the thread also takes over IP hashing (salts go with each
   * write) and country lookup (from `geoBytes`).
   */
  async writeInWorker(databaseUrl: string, opts: { busyTimeoutMs?: number; geoBytes?: Uint8Array | null; authToken?: string } = {}): Promise<{ ok: true } | { ok: false; reason: string }> {
    const path = localFilePath(databaseUrl);
    if (!path && !isServerUrl(databaseUrl)) return { ok: false, reason: "not a plain file: URL nor a libSQL server URL" };
    if (this.closed || this.writer !== this.inline) return { ok: false, reason: "buffer closed or already moved" };
    try {
      const target = path ? { path } : { url: databaseUrl, authToken: opts.authToken };
      const worker = await WorkerWriter.start(target, opts.busyTimeoutMs ?? 5000, this.ipWork ? { geoBytes: opts.geoBytes ?? null } : undefined);
      await this.flush(); // anything accepted so far goes out in order first
      this.writer = worker;
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  /**
   * True when add() may be given the raw IP instead of its hash and country:
   * they are computed on write (on the writer thread: the request thread's costliest steps).
   */
  get defersIpWork(): boolean { return this.ipWork !== null; }

  /**
   * Accepts a click. Returns a promise only when back-pressure applies: it
   * resolves once the click may be answered (see the crash-loss bound above).
   * `ip` only when defersIpWork: the row's ipHash (and country, if asked) are filled in on write.
   */
  add(row: ClickRow, ip?: DeferredIp): void | Promise<void> {
    if (this.closed) throw new Error("click buffer is closed");
    if (ip && !this.ipWork) throw new Error("this click buffer cannot hash IPs; compute ipHash before add()");
    const q: Queued = { row, ip, seq: ++this.accepted, answered: false };
    this.queue.push(q);
    this.pending.set(row.id, row);
    if (this.queue.length >= this.opts.batchSize) this.kick();
    else if (!this.timer) this.timer = setTimeout(() => { this.timer = null; this.kick(); }, this.opts.flushMs);
    // Rows commit in acceptance order, so with `seq - stored` unwritten rows up to and including this one,
    // answering it now keeps every answered-but-unwritten click within the bound.
    if (this.waiters.length === 0 && q.seq - this.stored <= this.maxUnwritten) { this.answer(q); return; }
    this.kick();
    return new Promise<void>((resolve) => this.waiters.push({ q, answer: resolve }));
  }

  private answer(q: Queued) {
    if (q.seq <= this.stored) return; // already committed while it waited
    q.answered = true;
    if (++this.answeredUnwritten > this.peakAnsweredUnwritten) this.peakAnsweredUnwritten = this.answeredUnwritten;
  }

  /** Answers held-back clicks: those now within the bound, or all of them (`all`: writes are failing). */
  private release(all: boolean) {
    while (this.waiters.length > 0 && (all || this.waiters[0]!.q.seq - this.stored <= this.maxUnwritten)) {
      const w = this.waiters.shift()!;
      this.answer(w.q);
      w.answer();
    }
  }

  /**
   * Starts a flush unless one is running: that one re-arms itself while rows
   * are waiting. (Every add() past batchSize starting its own waiting flush
   * made a herd that woke on each commit and cost more than the clicks.)
   */
  private kick() {
    if (this.flushing) return;
    this.flush().catch(() => { /* retried by the timer; reported via onError */ });
  }

  /** A click accepted but not yet committed (with a deferred IP, its ipHash and country are still null). */
  get(id: string): ClickRow | undefined { return this.pending.get(id); }
  get size() { return this.queue.length; }

  /**
   * Writes everything accepted so far (in batches); resolves once
   * it is committed. Rows commit in the order they were accepted (one write
   * in flight; a failed batch goes back to the front), so a count suffices.
   */
  async flush(): Promise<void> {
    const upTo = this.accepted;
    while (this.stored < upTo && (this.flushing || this.queue.length > 0)) {
      if (!this.flushing) this.flushing = this.writeOnce().finally(() => { this.flushing = null; });
      await this.flushing;
    }
  }

  /**
   * The values to write; on the in-thread path a deferred IP is hashed (with
   * its day's salt; none once that salt is deleted) and located here first.
   */
  private argsOf(q: Queued, salts: DaySalts): ClickArgs {
    const { row, ip } = q;
    if (!ip) return rowArgs(row);
    if (this.writer !== this.inline) return [...rowArgs(row), ip.ip, ip.country ? 1 : 0];
    const salt = salts.get(dayNumber(row.createdAt));
    row.ipHash = salt === undefined ? null : hashIp(salt, ip.ip);
    if (ip.country) row.country = this.ipWork!.geo.country(ip.ip);
    q.ip = undefined;
    return rowArgs(row);
  }

  /** The created-at times of rows whose IP is still to be hashed (their days need a salt). */
  private static ipTimes(batch: Queued[]): number[] {
    return batch.filter((q) => q.ip?.ip).map((q) => q.row.createdAt);
  }

  private async writeOnce() {
    // On the writer thread a write may take a backlog of several batches at once: one round trip
    // per batch could not keep up once the request thread was saturated (the queue only grew).
    const batch = this.queue.splice(0, this.writer === this.inline ? this.opts.batchSize : this.opts.batchSize * WORKER_BATCHES);
    this.inFlight = batch;
    try {
      const times = ClickBuffer.ipTimes(batch);
      const salts: DaySalts = times.length && this.ipWork ? await this.ipWork.salts.forTimes(times) : new Map();
      await this.writer.write(batch.map((q) => this.argsOf(q, salts)), salts);
      for (const q of batch) {
        this.pending.delete(q.row.id);
        if (q.answered) this.answeredUnwritten--;
      }
      this.stored += batch.length;
      this.inFlight = [];
      this.release(false);
    } catch (e) {
      this.inFlight = [];
      this.failures++;
      this.queue.unshift(...batch);
      this.release(true); // back-pressure never turns an accepted click into an error page
      this.opts.onError?.(e);
      if (this.writer.broken && this.writer !== this.inline) {
        // The thread died: the batch is back in the queue; write here from now on
        // (rows it may have committed are skipped by ON CONFLICT DO NOTHING).
        this.writer = this.inline;
        this.opts.onError?.(new Error("click writer thread stopped; writing on the request thread"));
      }
      if (!this.closed && !this.timer) this.timer = setTimeout(() => { this.timer = null; this.kick(); }, 250);
      throw e;
    }
    // More rows waiting: write them next turn (at once if clicks are held back for them, not at the flush timer).
    if (this.queue.length > 0 && (!this.timer || this.waiters.length > 0)) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => { this.timer = null; this.kick(); }, 0);
    }
  }

  /**
   * Graceful stop: refuse new clicks and write every accepted one, retrying
   * until `giveUpAt` (a stop's deadline; else closeTimeoutMs from now); what is
   * still unwritten then goes to the spill file.
   */
  async close(opts: { giveUpAt?: number } = {}): Promise<void> {
    this.closed = true;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    // A write may still be in flight on the worker even when the queue is empty.
    const giveUpAt = opts.giveUpAt ?? Date.now() + (this.opts.closeTimeoutMs ?? 15_000);
    while ((this.queue.length > 0 || this.flushing) && Date.now() < giveUpAt) {
      // One flush against a server that hangs (rather than refuses) must not outlast the deadline either.
      const late = new Promise<"late">((r) => setTimeout(r, Math.max(0, giveUpAt - Date.now()), "late"));
      try {
        if ((await Promise.race([this.flush(), late])) === "late") {
          this.queue.unshift(...this.inFlight.splice(0)); // may still commit: the spill's rows are written ON CONFLICT DO NOTHING
          break;
        }
      } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    await this.writer.close(opts.giveUpAt === undefined ? undefined : 1_000);
    this.release(true);
    if (this.queue.length > 0) {
      // The database stayed unreachable: keep the clicks on disk rather than drop them.
      this.writer = this.inline; // so IPs are hashed here, never written raw
      const salts = this.ipWork ? this.ipWork.salts.cached(ClickBuffer.ipTimes(this.queue)) : new Map<number, string>();
      const rows = this.queue.splice(0).map((q) => this.argsOf(q, salts));
      if (!this.opts.spillDir) throw new Error(`${rows.length} accepted clicks could not be written`);
      const file = spillClicks(this.opts.spillDir, rows);
      throw new Error(`${rows.length} accepted clicks could not be written; saved to ${file}, written on next start`);
    }
  }
}
