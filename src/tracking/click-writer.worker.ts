/**
 * The click writer thread (Bun Worker): its own connection to the database
 * file, one prepared statement per chunk size, one transaction per flush. The
 * request thread never blocks on the INSERT or its fsync.
 *
 * It also hashes and geolocates the client IP of rows that carry it
 * (DeferredIp), so the request thread does not have to.
 *
 * Protocol (see click-writer.ts): {type:"open", path, timeoutMs, ipWork?} -> {type:"ready"} | {type:"failed"};
 * {type:"write", id, json} (JSON array of ClickArgs) -> {type:"done", id} | {type:"failed", id, message};
 * {type:"close"} -> {type:"closed"}.
 */
import Database from "libsql";
import { chunks, COLUMNS, COUNTRY_AT, insertSql, IP_HASH_AT, type ClickArgs } from "./click-rows";
import { CountryLookup } from "./geo";
import { hashIp } from "./ip-hash";

declare const self: Worker;

type Statement = ReturnType<InstanceType<typeof Database>["prepare"]>;
let db: InstanceType<typeof Database> | null = null;
const statements = new Map<number, Statement>();
/** Set when the request thread leaves IP hashing and country lookup to us. */
let ipWork: { secret: string; geo: CountryLookup } | null = null;

/** Fills in the IP hash and country of rows that carry their IP (see DeferredIp). */
function finish(rows: ClickArgs[]): void {
  const width = COLUMNS.length;
  for (const row of rows) {
    if (row.length === width) continue;
    if (!ipWork) throw new Error("a click carries its IP but this writer was not given the IP hash key");
    const ip = row[width] as string | null;
    row[IP_HASH_AT] = hashIp(ipWork.secret, ip);
    if (row[width + 1] === 1) row[COUNTRY_AT] = ipWork.geo.country(ip);
    row.length = width;
  }
}

function statement(rows: number): Statement {
  let s = statements.get(rows);
  if (!s) statements.set(rows, (s = db!.prepare(insertSql(rows))));
  return s;
}

function write(rows: ClickArgs[]): void {
  const width = COLUMNS.length;
  finish(rows);
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
  const msg = event.data as
    | { type: "open"; path: string; timeoutMs: number; ipWork?: { secret: string; geoBytes: Uint8Array | null } }
    | { type: "write"; id: number; json: string }
    | { type: "close" };
  try {
    if (msg.type === "open") {
      if (msg.ipWork) ipWork = { secret: msg.ipWork.secret, geo: new CountryLookup(msg.ipWork.geoBytes) };
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
