/**
 * The baseline for bench/postback.ts, run in its own process like the server:
 * N single-row INSERTs of a conversion row (a copy of one the server stored,
 * new id and order ref each time) through @libsql/client into the same kind
 * of database file, each awaited, from C concurrent loops. Autocommit, so
 * each insert is its own durable transaction (WAL, synchronous=FULL).
 *
 *   bun bench/postback-baseline.ts <db file> <N> <C> <template row JSON file>
 * Prints: BASELINE_JSON {"inserts":N,"seconds":S}
 */
import { createClient, type InValue } from "@libsql/client";
import { readFileSync } from "node:fs";
import { uuidv7 } from "../src/shared/ids";

const [file, nText, cText, templateFile] = process.argv.slice(2);
const N = Number(nText), C = Number(cText);
const template = JSON.parse(readFileSync(templateFile!, "utf8")) as Record<string, InValue>;
const columns = Object.keys(template);
const sql = `INSERT INTO conversions (${columns.join(",")}) VALUES (${columns.map(() => "?").join(",")})`;

const client = createClient({ url: `file:${file}`, timeout: 5000 });
await client.execute("PRAGMA journal_mode=WAL");
const run = `base-${Date.now()}`;
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: C }, async () => {
  while (next < N) {
    const i = next++;
    const now = Date.now();
    const row: Record<string, InValue> = { ...template, id: uuidv7(now), brand_order_ref: `${run}-${i}`, created_at: now, updated_at: now };
    await client.execute({ sql, args: columns.map((c) => row[c] ?? null) });
  }
}));
const seconds = (performance.now() - started) / 1000;
client.close();
console.log(`BASELINE_JSON ${JSON.stringify({ inserts: N, seconds })}`);
