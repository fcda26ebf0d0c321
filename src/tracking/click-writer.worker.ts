/**
 * The click writer thread (Bun Worker): its own connection to the database
 * file, one prepared statement per chunk size, one transaction per flush. The
 * request thread never blocks on the INSERT or its fsync.
 *
 * It also hashes and geolocates the client IP of rows that carry it
 * (DeferredIp), so the request thread does not have to. The salts come with
 * each write (the request thread owns the daily rotation), so this thread
 * keeps no salt of its own.
 *
 * On a libSQL server (open with `url` instead of `path`) it writes through its
 * own @libsql/client: one INSERT of all the write's rows (one JSON argument,
 * expanded by the server: see insertJsonSql), one round trip, one server
 * transaction per write; the request thread leaves it the IP work and the
 * encoding of the request.
 *
 * Protocol (see click-writer.ts): {type:"open", path | url (+ authToken), timeoutMs, ipWork?} -> {type:"ready"} | {type:"failed"};
 * {type:"write", id, json, salts} (JSON array of ClickArgs; [day number, salt] pairs) -> {type:"done", id} | {type:"failed", id, message};
 * {type:"close"} -> {type:"closed"}.
 */
import type { Client } from "@libsql/client";
import { serverClient } from "../db/stream-pool-client";
import Database from "libsql";
import { chunks, COLUMNS, COUNTRY_AT, CREATED_AT, insertJsonSql, insertSql, IP_HASH_AT, ROLLUP_GROUPED_SQL, ROLLUP_SQL, rollupGroupedJson, rollupJson, type ClickArgs } from "./click-rows";
import { CountryLookup } from "./geo";
import { dayNumber, hashIp } from "./ip-hash";

declare const self: Worker;

type Statement = ReturnType<InstanceType<typeof Database>["prepare"]>;
let db: InstanceType<typeof Database> | null = null;
/** Set instead of `db` on a libSQL server. */
let remote: Client | null = null;
const statements = new Map<number, Statement>();
let rollupStatement: Statement | null = null;
let groupedStatement: Statement | null = null;
/** Set when the request thread leaves IP hashing and country lookup to us. */
let ipWork: { geo: CountryLookup } | null = null;

/** Fills in the IP hash (with the salt of the click's day; none if it is gone) and country of rows that carry their IP. */
function finish(rows: ClickArgs[], salts: Map<number, string>): void {
  const width = COLUMNS.length;
  for (const row of rows) {
    if (row.length === width) continue;
    if (!ipWork) throw new Error("a click carries its IP but this writer was not set up to hash IPs");
    const ip = row[width] as string | null;
    const salt = salts.get(dayNumber(row[CREATED_AT] as number));
    row[IP_HASH_AT] = salt === undefined ? null : hashIp(salt, ip);
    if (row[width + 1] === 1) row[COUNTRY_AT] = ipWork.geo.country(ip);
    row.length = width;
  }
}

function statement(rows: number): Statement {
  let s = statements.get(rows);
  if (!s) statements.set(rows, (s = db!.prepare(insertSql(rows))));
  return s;
}

/**
 * On a libSQL server: one batch, one server transaction. Usually every id is
 * new, so the INSERT carries no conflict clause and the rollup is grouped here
 * (far less work for the server than grouping in SQL). An id already stored
 * (a replayed spill) fails that batch whole; it is redone with ROLLUP_SQL,
 * which counts only the ids not yet stored, and the INSERT that skips them.
 */
async function writeRemote(rows: ClickArgs[], salts: Map<number, string>): Promise<void> {
  finish(rows, salts);
  const json = JSON.stringify(rows);
  const grouped = rollupGroupedJson(rows);
  if (!grouped) { await remote!.execute({ sql: insertJsonSql(), args: [json] }); return; }
  try {
    await remote!.batch([{ sql: insertJsonSql({ failOnStoredId: true }), args: [json] }, { sql: ROLLUP_GROUPED_SQL, args: [grouped] }], "write");
  } catch (e) {
    if (!/UNIQUE constraint failed: clicks\.id/.test(e instanceof Error ? e.message : String(e))) throw e;
    await remote!.batch([{ sql: ROLLUP_SQL, args: [rollupJson(rows)] }, { sql: insertJsonSql(), args: [json] }], "write"); // the rollup first: see ROLLUP_SQL
  }
}

/** The write's INSERTs; returns how many rows they added (a stored id is skipped). */
function insertAll(rows: ClickArgs[]): number {
  const width = COLUMNS.length;
  let added = 0;
  for (const [at, size] of chunks(rows.length)) {
    const args = new Array(size * width);
    for (let i = 0; i < size; i++) {
      const row = rows[at + i]!;
      for (let c = 0; c < width; c++) args[i * width + c] = row[c];
    }
    added += (statement(size).run(args) as { changes: number }).changes;
  }
  return added;
}

/**
 * One transaction per write: the clicks, then their report rollups grouped
 * here (one upsert). If the INSERT skipped a row (an id already stored: a
 * replayed spill), the grouped rollup would count it twice, so the write is
 * redone with ROLLUP_SQL, which counts only the ids not yet stored.
 */
function write(rows: ClickArgs[], salts: Map<number, string>): void {
  finish(rows, salts);
  const grouped = rollupGroupedJson(rows);
  db!.exec("BEGIN IMMEDIATE");
  try {
    const added = insertAll(rows);
    if (grouped && added === rows.length) (groupedStatement ??= db!.prepare(ROLLUP_GROUPED_SQL)).run([grouped]);
    else if (grouped) {
      db!.exec("ROLLBACK");
      db!.exec("BEGIN IMMEDIATE");
      (rollupStatement ??= db!.prepare(ROLLUP_SQL)).run([rollupJson(rows)]); // before the INSERT: see ROLLUP_SQL
      insertAll(rows);
    }
    db!.exec("COMMIT");
  } catch (e) {
    try { db!.exec("ROLLBACK"); } catch { /* already rolled back */ }
    throw e;
  }
}

self.onmessage = async (event: MessageEvent) => {
  const msg = event.data as
    | { type: "open"; path?: string; url?: string; authToken?: string; timeoutMs: number; ipWork?: { geoBytes: Uint8Array | null } }
    | { type: "write"; id: number; json: string; salts: [number, string][] }
    | { type: "close" };
  try {
    if (msg.type === "open") {
      if (msg.ipWork) ipWork = { geo: new CountryLookup(msg.ipWork.geoBytes) };
      if (msg.url) {
        remote = serverClient(msg.url, msg.authToken, 1); // one write in flight at a time: one stream
        await remote.execute("SELECT id FROM clicks LIMIT 0"); // fails now, not on the first click, if unreachable or the table is missing
      } else {
        db = new Database(msg.path!, { timeout: msg.timeoutMs } as never);
        statement(1); // fails now, not on the first click, if the table is missing
      }
      postMessage({ type: "ready" });
    } else if (msg.type === "write") {
      // The buffer keeps one write in flight, so an awaited write never overlaps the next one.
      const rows = JSON.parse(msg.json) as ClickArgs[], salts = new Map(msg.salts);
      if (remote) await writeRemote(rows, salts); else write(rows, salts);
      postMessage({ type: "done", id: msg.id });
    } else if (msg.type === "close") {
      statements.clear();
      rollupStatement = null;
      groupedStatement = null;
      db?.close();
      db = null;
      remote?.close();
      remote = null;
      postMessage({ type: "closed" });
    }
  } catch (e) {
    postMessage({ type: "failed", id: "id" in msg ? msg.id : null, message: e instanceof Error ? e.message : String(e) });
  }
};
