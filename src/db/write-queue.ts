import type { Client, InStatement, InValue } from "@libsql/client";
import type { SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { CommitThread, type UnitResult } from "./commit-thread";

const dialect = new SQLiteSyncDialect();

/** A drizzle query builder (insert/update/...) or a sql`` fragment -> a plain statement. */
export function stmt(q: SQL | { toSQL(): { sql: string; params: unknown[] } }): InStatement {
  const { sql, params } = "toSQL" in q ? q.toSQL() : dialect.sqlToQuery(q);
  return { sql, args: params as InValue[] };
}

export interface StatementResult { rowsAffected: number }
interface Unit { stmts: InStatement[]; resolve(r: StatementResult[]): void; reject(e: unknown): void }

/**
 * Group commit for the money path. Every unit (a conversion insert with its
 * audit, ledger and outbox rows; a review transition; an inbox row) is
 * all-or-nothing, and the units that arrive while one commit is being
 * fsynced share the next transaction: one fsync for many postbacks, still
 * durable (synchronous=FULL) before anyone is answered.
 *
 * On an embedded file the commits run on a Worker with its own connection
 * (useThread), so the request thread keeps serving — and queueing — while
 * the disk syncs. Otherwise (tests, a libSQL server) they run inline.
 */
export class WriteQueue {
  private pending: Unit[] = [];
  private draining: Promise<void> | null = null;
  private thread: CommitThread | null = null;

  constructor(private client: Client, private maxStatements = 4000) {}

  /** Moves commits to a Worker on `path`; false (and inline commits) if it cannot start. */
  async useThread(path: string, timeoutMs = 5000): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      this.thread = await CommitThread.start(path, timeoutMs);
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  run(stmts: InStatement[]): Promise<StatementResult[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ stmts, resolve, reject });
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
    while (this.draining) await this.draining;
    await this.thread?.close();
    this.thread = null;
  }

  private async drain() {
    while (this.pending.length > 0) {
      const units: Unit[] = [];
      let count = 0;
      while (this.pending.length > 0 && (units.length === 0 || count + this.pending[0]!.stmts.length <= this.maxStatements)) {
        const u = this.pending.shift()!;
        units.push(u);
        count += u.stmts.length;
      }
      await this.commit(units);
    }
  }

  private async commit(units: Unit[]) {
    if (this.thread && !this.thread.alive) this.thread = null; // died between commits: nothing of these was sent
    let results: UnitResult[];
    try {
      results = this.thread ? await this.thread.commit(units.map((u) => u.stmts)) : await this.commitInline(units);
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

  private async commitInline(units: Unit[]): Promise<UnitResult[]> {
    try {
      const all = await this.client.batch(units.flatMap((u) => u.stmts), "write");
      let offset = 0;
      return units.map((u) => {
        const slice = all.slice(offset, (offset += u.stmts.length));
        return { changes: slice.map((r) => r.rowsAffected) };
      });
    } catch {
      // One unit's failure must not fail its neighbours: retry each alone.
      const out: UnitResult[] = [];
      for (const u of units) {
        try { out.push({ changes: (await this.client.batch(u.stmts, "write")).map((r) => r.rowsAffected) }); }
        catch (e) { out.push({ error: e instanceof Error ? e.message : String(e) }); }
      }
      return out;
    }
  }
}
