/**
 * The money-path commit thread (Bun Worker): its own connection to the
 * database file; each message is one transaction holding many units, each
 * unit in its own SAVEPOINT so one unit's failure rolls back only itself.
 * While this thread waits on fsync the request thread keeps serving and
 * queueing, which is what makes the group commit real.
 *
 * Protocol (see commit-thread.ts): {type:"open", path, timeoutMs} -> {type:"ready"} | {type:"failed", message};
 * {type:"commit", id, units: [sql, args][][]} -> {type:"done", id, results: ({changes: number[]} | {error: string})[]}
 *   | {type:"failed", id, message} (the whole transaction failed);
 * {type:"close"} -> {type:"closed"}.
 */
import Database from "libsql";

declare const self: Worker;

type Statement = ReturnType<InstanceType<typeof Database>["prepare"]>;
type Unit = [sql: string, args: unknown[]][];
let db: InstanceType<typeof Database> | null = null;
const prepared = new Map<string, Statement>();

function statement(sql: string): Statement {
  let s = prepared.get(sql);
  if (!s) {
    if (prepared.size > 500) prepared.clear();
    prepared.set(sql, (s = db!.prepare(sql)));
  }
  return s;
}

function commit(units: Unit[]) {
  const results: ({ changes: number[] } | { error: string })[] = [];
  db!.exec("BEGIN IMMEDIATE");
  try {
    for (const unit of units) {
      db!.exec("SAVEPOINT unit");
      try {
        const changes = unit.map(([sql, args]) => Number(statement(sql).run(args).changes));
        db!.exec("RELEASE unit");
        results.push({ changes });
      } catch (e) {
        db!.exec("ROLLBACK TO unit");
        db!.exec("RELEASE unit");
        results.push({ error: e instanceof Error ? e.message : String(e) });
      }
    }
    db!.exec("COMMIT");
  } catch (e) {
    try { db!.exec("ROLLBACK"); } catch { /* already rolled back */ }
    throw e;
  }
  return results;
}

self.onmessage = (event: MessageEvent) => {
  const msg = event.data as { type: "open"; path: string; timeoutMs: number } | { type: "commit"; id: number; units: Unit[] } | { type: "close" };
  try {
    if (msg.type === "open") {
      db = new Database(msg.path, { timeout: msg.timeoutMs } as never);
      db.exec("SELECT 1");
      postMessage({ type: "ready" });
    } else if (msg.type === "commit") {
      postMessage({ type: "done", id: msg.id, results: commit(msg.units) });
    } else if (msg.type === "close") {
      prepared.clear();
      db?.close();
      db = null;
      postMessage({ type: "closed" });
    }
  } catch (e) {
    postMessage({ type: "failed", id: msg.type === "commit" ? msg.id : null, message: e instanceof Error ? e.message : String(e) });
  }
};
