import type { Client, InStatement, InValue } from "@libsql/client";
import type { SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { CommitThread, type UnitResult } from "./commit-thread";
import { plain, planBatch, type UnitStatement } from "./set-writes";

const dialect = new SQLiteSyncDialect();

/** A drizzle query builder (insert/update/...) or a sql`` fragment -> a plain statement. */
export function stmt(q: SQL | { toSQL(): { sql: string; params: unknown[] } }): InStatement {
  const { sql, params } = "toSQL" in q ? q.toSQL() : dialect.sqlToQuery(q);
  return { sql, args: params as InValue[] };
}

export interface StatementResult { rowsAffected: number }
interface Unit { stmts: UnitStatement[]; resolve(r: StatementResult[]): void; reject(e: unknown): void }

/**
 * Group commit for the money path. Every unit (a conversion insert with its
 * audit, ledger and outbox rows; a review transition; an inbox row) is
 * all-or-nothing, and the units that arrive while one commit is being
 * fsynced share the next transaction: one fsync for many postbacks, still
 * durable (synchronous=FULL) before anyone is answered.
 *
 * On an embedded file the commits run on a Worker with its own connection
 * (useThread), so the request thread keeps serving — and queueing — while
 * the disk syncs. Otherwise (tests, a libSQL server) they run inline, still
 * one batch per group: on a server one HTTP round trip and one server-side
 * transaction for all the postbacks that queued while the last one was out,
 * and the postbacks in it written as sets (set-writes.ts): a server pays per
 * statement far more than per row.
 */
export class WriteQueue {
  private pending: Unit[] = [];
  private draining: Promise<void> | null = null;
  private thread: CommitThread | null = null;
  /** Group commits whose set writes failed and were written plainly instead (tests read it). */
  setFallbacks = 0;
  /** Set when the server cannot run set writes at all (see commitInline). */
  private setsOff = false;
  /** For /metrics: commits, the units they carried, and how many of those were written as sets. */
  readonly stats = { commits: 0, units: 0, setUnits: 0 };

  /** How many units the last commit carried and how long it took: the linger below adapts to both. */
  private lastUnits = 0;
  private lastCommitMs = 0;
  private lastCommitEnd = 0;
  private gathering: { arrived(): void; done(): void } | null = null;
  private closing = false;

  /**
   * `lingerMs` (on a libSQL server): under concurrent load, wait up to this
   * long for the next group to fill before sending it. A server pays per
   * commit far more than per postback (every page the commit writes goes to
   * its WAL and its replication log), and without a wait the first caller
   * back after a commit would go alone, its group in the next commit: commits
   * alternate between one unit and all the rest. A lone writer never waits,
   * nor does the first writer after a pause.
   */
  constructor(private client: Client, private opts: { maxStatements?: number; lingerMs?: number } = {}) {}

  /** Moves commits to a Worker on `path`; false (and inline commits) if it cannot start. */
  async useThread(path: string, timeoutMs = 5000): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      this.thread = await CommitThread.start(path, timeoutMs);
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  run(stmts: UnitStatement[]): Promise<StatementResult[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ stmts, resolve, reject });
      this.gathering?.arrived();
      this.kick();
    });
  }

  private kick() {
    if (this.draining) return;
    // A unit queued after the loop's last look but before this settles must not wait forever.
    this.draining = this.drain().finally(() => { this.draining = null; if (this.pending.length > 0) this.kick(); });
  }

  /** Waits for every queued unit, then stops the thread (graceful shutdown). */
  async close(): Promise<void> {
    this.closing = true;
    this.gathering?.done();
    while (this.draining) await this.draining;
    await this.thread?.close();
    this.thread = null;
  }

  private async drain() {
    const maxStatements = this.opts.maxStatements ?? 4000;
    while (this.pending.length > 0) {
      if (this.lingering()) await this.linger();
      const units: Unit[] = [];
      let count = 0;
      while (this.pending.length > 0 && (units.length === 0 || count + this.pending[0]!.stmts.length <= maxStatements)) {
        const u = this.pending.shift()!;
        units.push(u);
        count += u.stmts.length;
      }
      const started = performance.now();
      this.stats.commits++;
      this.stats.units += units.length;
      await this.commit(units);
      this.lastCommitEnd = performance.now();
      this.lastCommitMs = this.lastCommitEnd - started;
      this.lastUnits = units.length;
    }
  }

  /**
   * Whether to linger: the last commit carried several units (callers write
   * concurrently), it ended no longer ago than it took (the burst goes on),
   * and fewer units are queued now.
   */
  private lingering(): boolean {
    const max = this.opts.lingerMs ?? 0;
    return max > 0 && this.lastUnits >= 2 && this.pending.length < this.lastUnits && !this.closing &&
      performance.now() - this.lastCommitEnd <= Math.max(max, this.lastCommitMs);
  }

  /**
   * Waits until as many units are queued as the last commit carried, or
   * min(lingerMs, half the last commit's time) has passed. Measured on the
   * postback benchmark: waiting for more than that (bigger groups, longer
   * waits) wrote fewer postbacks a second, not more.
   */
  private async linger() {
    const want = this.lastUnits;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), Math.min(this.opts.lingerMs!, this.lastCommitMs / 2));
      const done = () => { clearTimeout(timer); this.gathering = null; resolve(); };
      this.gathering = { arrived: () => { if (this.pending.length >= want) done(); }, done };
    });
  }

  private async commit(units: Unit[]) {
    if (this.thread && !this.thread.alive) this.thread = null; // died between commits: nothing of these was sent
    let results: UnitResult[];
    try {
      results = this.thread ? await this.thread.commit(units.map((u) => u.stmts.map(plain))) : await this.commitInline(units);
    } catch (e) {
      // Outcome unknown (e.g. the thread died): fail these callers, who may retry safely
      // (duplicates, compare-and-set transitions); later units commit inline.
      if (this.thread && !this.thread.alive) {
        console.error("commit thread stopped; committing on the request thread from now on:", e instanceof Error ? e.message : e);
        this.thread = null;
      }
      for (const u of units) u.reject(e);
      return;
    }
    units.forEach((u, i) => {
      const r = results[i]!;
      if ("error" in r) u.reject(new Error(r.error));
      else u.resolve(r.changes.map((rowsAffected) => ({ rowsAffected })));
    });
  }

  /**
   * One batch (one transaction; on a libSQL server one round trip) for the
   * whole group. When a statement fails the server rolls the batch back and
   * names the statement: its unit gets the error and the others go again as
   * one batch, so a bad unit costs one more round trip, not one per unit.
   * A failure that names no statement (connection, BEGIN, COMMIT) retries
   * each unit alone.
   */
  private async commitInline(units: Unit[]): Promise<UnitResult[]> {
    let setFailure: unknown = null;
    if (!this.setsOff) {
      const plan = planBatch(units.map((u) => u.stmts));
      if (plan.merged > 0) {
        try {
          const results = await this.client.batch(plan.statements, "write");
          this.stats.setUnits += plan.merged;
          return plan.changes(results).map((changes) => ({ changes }));
        } catch (e) {
          // Written again plainly, which finds the unit at fault. Even if this batch committed after
          // all (its answer lost), that is safe: every created row is insert-or-nothing on its key.
          this.setFallbacks++;
          setFailure = e;
        }
      }
    }
    const results = await this.commitPlain(units);
    if (failedStatement(setFailure) !== null && results.every((r) => "changes" in r)) {
      // A set statement failed where the same rows written plainly did not: the server cannot run
      // them (an old SQLite without ->>?). Said once; plain statements from now on.
      this.setsOff = true;
      console.error("set writes failed where plain statements succeeded; writing statement by statement from now on:", setFailure instanceof Error ? setFailure.message : setFailure);
    }
    return results;
  }

  private async commitPlain(units: Unit[]): Promise<UnitResult[]> {
    const results: UnitResult[] = new Array(units.length);
    let live = units.map((_, i) => i);
    while (live.length > 0) {
      try {
        const all = await this.client.batch(live.flatMap((i) => units[i]!.stmts.map(plain)), "write");
        let offset = 0;
        for (const i of live) results[i] = { changes: all.slice(offset, (offset += units[i]!.stmts.length)).map((r) => r.rowsAffected) };
        return results;
      } catch (e) {
        const failed = unitOfStatement(failedStatement(e), live.map((i) => units[i]!.stmts.length));
        if (failed === null) {
          for (const i of live) {
            try { results[i] = { changes: (await this.client.batch(units[i]!.stmts.map(plain), "write")).map((r) => r.rowsAffected) }; }
            catch (err) { results[i] = { error: err instanceof Error ? err.message : String(err) }; }
          }
          return results;
        }
        results[live[failed]!] = { error: e instanceof Error ? e.message : String(e) };
        live = live.filter((_, k) => k !== failed);
      }
    }
    return results;
  }
}

/** The index of the statement a failed batch names (@libsql/client's LibsqlBatchError), else null. */
function failedStatement(e: unknown): number | null {
  const at = (e as { statementIndex?: unknown } | null)?.statementIndex;
  return typeof at === "number" && Number.isInteger(at) && at >= 0 ? at : null;
}

/** Which of the units (given their statement counts, in batch order) holds statement `at`; null if none. */
function unitOfStatement(at: number | null, sizes: number[]): number | null {
  if (at === null) return null;
  let end = 0;
  for (let k = 0; k < sizes.length; k++) if (at < (end += sizes[k]!)) return k;
  return null;
}
