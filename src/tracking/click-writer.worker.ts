/**
 * The click writer thread (Bun Worker): its own connection to the database
 * file, one prepared statement per chunk size, one transaction per flush. The
 * request thread never blocks on the INSERT or its fsync.
 *
 * Protocol (see click-writer.ts): {type:"open", path, timeoutMs} -> {type:"ready"} | {type:"failed"};
 * {type:"write", id, json} (JSON array of ClickArgs) -> {type:"done", id} | {type:"failed", id, message};
 * {type:"close"} -> {type:"closed"}.
 */
import Database from "libsql";
import { chunks, COLUMNS, insertSql, type ClickArgs } from "./click-rows";

declare const self: Worker;

type Statement = ReturnType<InstanceType<typeof Database>["prepare"]>;
let db: InstanceType<typeof Database> | null = null;
const statements = new Map<number, Statement>();

function statement(rows: number): Statement {
  let s = statements.get(rows);
  if (!s) statements.set(rows, (s = db!.prepare(insertSql(rows))));
  return s;
}

function write(rows: ClickArgs[]): void {
  const width = COLUMNS.length;
  db!.exec("BEGIN IMMEDIATE");
  try {
    for (const [at, size] of chunks(rows.length)) {
      const args = new Array(size * width);
      for (let i = 0; i < size; i++) {
        const row = rows[at + i]!;
        for (let c = 0; c < width; c++) args[i * width + c] = row[c];
      }
      statement(size).run(args);
    }
    db!.exec("COMMIT");
  } catch (e) {
    try { db!.exec("ROLLBACK"); } catch { /* already rolled back */ }
    throw e;
  }
}

self.onmessage = (event: MessageEvent) => {
  const msg = event.data as { type: "open"; path: string; timeoutMs: number } | { type: "write"; id: number; json: string } | { type: "close" };
  try {
    if (msg.type === "open") {
      db = new Database(msg.path, { timeout: msg.timeoutMs } as never);
      statement(1); // fails now, not on the first click, if the table is missing
      postMessage({ type: "ready" });
    } else if (msg.type === "write") {
      write(JSON.parse(msg.json) as ClickArgs[]);
      postMessage({ type: "done", id: msg.id });
    } else if (msg.type === "close") {
      statements.clear();
      db?.close();
      db = null;
      postMessage({ type: "closed" });
    }
  } catch (e) {
    postMessage({ type: "failed", id: "id" in msg ? msg.id : null, message: e instanceof Error ? e.message : String(e) });
  }
};
