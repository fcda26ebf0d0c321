import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@libsql/client";
import { chunks, insertSql, type ClickArgs } from "./click-rows";

const PREFIX = "unwritten-clicks-";

/**
 * Last resort for a graceful stop that cannot reach the database: accepted
 * clicks (IPs already hashed) go to a JSON-lines file beside the database,
 * and the next start writes them. An accepted click is never just dropped.
 */
export function spillClicks(dir: string, rows: ClickArgs[], now = Date.now()): string {
  mkdirSync(dir, { recursive: true }); // on a server URL the data folder may not exist yet
  const file = join(dir, `${PREFIX}${now}.jsonl`);
  appendFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n", { mode: 0o600 });
  return file;
}

/** Writes clicks spilled by an earlier stop (ON CONFLICT DO NOTHING), then removes their files. */
export async function recoverSpilledClicks(client: Client, dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  let recovered = 0;
  for (const name of readdirSync(dir).filter((f) => f.startsWith(PREFIX) && f.endsWith(".jsonl")).sort()) {
    const file = join(dir, name);
    const rows = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as ClickArgs);
    const stmts = chunks(rows.length).map(([at, size]) => ({ sql: insertSql(size), args: rows.slice(at, at + size).flat() }));
    if (stmts.length) await client.batch(stmts, "write");
    rmSync(file);
    recovered += rows.length;
  }
  return recovered;
}
