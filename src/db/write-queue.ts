import type { Client, InStatement, InValue, ResultSet } from "@libsql/client";
import type { SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";

const dialect = new SQLiteSyncDialect();

/** A drizzle query builder (insert/update/...) or a sql`` fragment -> a plain statement. */
export function stmt(q: SQL | { toSQL(): { sql: string; params: unknown[] } }): InStatement {
  const { sql, params } = "toSQL" in q ? q.toSQL() : dialect.sqlToQuery(q);
  return { sql, args: params as InValue[] };
}

interface Unit { stmts: InStatement[]; resolve(r: ResultSet[]): void; reject(e: unknown): void }

/**
 * Group commit for the money path. Every unit (a conversion insert with its
 * audit, ledger and outbox rows; a review transition; an inbox row) is
 * all-or-nothing, and the units that arrive while one commit is being
 * fsynced share the next transaction: one fsync for many postbacks, still
 * durable (synchronous=FULL) before anyone is answered.
 */
export class WriteQueue {
  private pending: Unit[] = [];
  private draining = false;

  constructor(private client: Client, private maxStatements = 4000) {}

  run(stmts: InStatement[]): Promise<ResultSet[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ stmts, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain() {
    this.draining = true;
    try {
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
    } finally {
      this.draining = false;
    }
  }

  private async commit(units: Unit[]) {
    try {
      const results = await this.client.batch(units.flatMap((u) => u.stmts), "write");
      let offset = 0;
      for (const u of units) {
        u.resolve(results.slice(offset, offset + u.stmts.length));
        offset += u.stmts.length;
      }
    } catch (e) {
      if (units.length === 1) { units[0]!.reject(e); return; }
      // One unit's failure must not fail its neighbours: retry each alone.
      for (const u of units) {
        try { u.resolve(await this.client.batch(u.stmts, "write")); } catch (err) { u.reject(err); }
      }
    }
  }
}
