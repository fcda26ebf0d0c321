/**
 * Settlement benchmark: close one month of N approved conversions across P
 * publishers and B brands (one program each) on an embedded database file.
 * Prints the close's seconds, peak RSS during the close (sampled every 20 ms)
 * against the RSS before it, and the rows it wrote. The close reads the month
 * as GROUP BY aggregates and hashes conversions page by page, so memory
 * follows the number of parties, not the number of conversions.
 *
 *   bun bench/settlement.ts   (BENCH_CONVERSIONS=1000000 BENCH_PUBLISHERS=10000 BENCH_BRANDS=500)
 */
import Database from "libsql";
import { join } from "node:path";
import { boot } from "../src/boot";
import { loadConfig } from "../src/config";
import { SYSTEM } from "../src/auth/authenticate";
import { closePeriod } from "../src/settlement/close-period";
import { FakeClock } from "../src/shared/clock";
import { uuidv7 } from "../src/shared/ids";
import { tempDir } from "./lib";

const N = Number(process.env.BENCH_CONVERSIONS ?? 1_000_000);
const PUBLISHERS = Number(process.env.BENCH_PUBLISHERS ?? 10_000);
const BRANDS = Number(process.env.BENCH_BRANDS ?? 500);
const OCT = Date.UTC(2026, 9, 1);

const tmp = tempDir("settle");
const file = join(tmp.dir, "bench.db");
const config = loadConfig({ DATABASE_URL: `file:${file}`, SCHEDULER: "off", IP_HASH_SECRET: "bench-secret-0123456789", SECRETS_KEY: "x".repeat(32) });
const clock = new FakeClock(Date.UTC(2026, 10, 1, 0, 5));
const { ctx, database } = await boot(config, { clock, geoBytes: null });

// Seed with one raw connection, one transaction, multi-row inserts.
const seedStart = performance.now();
const raw = new Database(file);
raw.exec("BEGIN");
const insertMany = (sqlHead: string, width: number, rows: unknown[][]) => {
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500);
    raw.prepare(sqlHead + part.map(() => `(${Array(width).fill("?").join(",")})`).join(",")).run(part.flat());
  }
};
insertMany("INSERT INTO brands (id, name, created_at, updated_at) VALUES ", 4, Array.from({ length: BRANDS }, (_, b) => [`b${b}`, `Brand ${b}`, OCT, OCT]));
insertMany("INSERT INTO programs (id, brand_id, name, dest_url, status, commission_type, commission_value, currency, cookie_window_days, network_fee_bps, pass_through_params, created_at, updated_at) VALUES ", 13,
  Array.from({ length: BRANDS }, (_, b) => [`g${b}`, `b${b}`, `Program ${b}`, "https://shop.example", "active", "flat_cpa", 1000, "USD", 30, 2000, 0, OCT, OCT]));
insertMany("INSERT INTO publishers (id, name, email, status, payout_method, payout_details, created_at, updated_at) VALUES ", 8,
  Array.from({ length: PUBLISHERS }, (_, p) => [`p${p}`, `Publisher ${p}`, `p${p}@pub.example`, "active", "PayPal", JSON.stringify({ email: `p${p}@pub.example` }), OCT, OCT]));
const CONV_HEAD = "INSERT INTO conversions (id, program_id, brand_id, brand_order_ref, order_value_minor, order_currency, program_value_minor, currency, click_id, publisher_id, attribution_reason, commission_minor, network_fee_minor, publisher_payout_minor, status, source, is_test, created_at, updated_at, approved_at) VALUES ";
for (let i = 0; i < N; i += 10_000) {
  const rows: unknown[][] = [];
  for (let k = i; k < Math.min(N, i + 10_000); k++) {
    const b = k % BRANDS, t = OCT + Math.floor((k / N) * 30 * 86_400_000);
    rows.push([uuidv7(t), `g${b}`, `b${b}`, `O-${k}`, 10_000, "USD", 10_000, "USD", null, `p${k % PUBLISHERS}`, "last_click", 1000, 200, 800, "approved", "postback", 0, t, t, t]);
  }
  insertMany(CONV_HEAD, 20, rows);
}
raw.exec("COMMIT");
raw.close();
const seedSeconds = (performance.now() - seedStart) / 1000;

Bun.gc(true);
const rssBefore = process.memoryUsage().rss;
let peak = rssBefore;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
const start = performance.now();
const { created, summary } = await closePeriod(ctx, SYSTEM, "2026-10");
const seconds = (performance.now() - start) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);

const count = async (sql: string) => Number((await ctx.client.execute(sql)).rows[0]![0]);
const written = {
  conversions_marked: await count("SELECT count(*) FROM conversions WHERE settlement_id IS NOT NULL"),
  payouts: await count("SELECT count(*) FROM payouts"), payout_lines: await count("SELECT count(*) FROM payout_lines"),
  invoices: await count("SELECT count(*) FROM invoices"), invoice_lines: await count("SELECT count(*) FROM invoice_lines"),
};
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
console.log(`settlement close: ${N.toLocaleString("en")} conversions, ${PUBLISHERS.toLocaleString("en")} publishers, ${BRANDS} brands (seeded in ${seedSeconds.toFixed(1)} s)`);
console.log(`  close:      ${seconds.toFixed(2)} s (created=${created}, audit hash ${summary.audit_hash.slice(0, 16)}…)`);
console.log(`  RSS:        ${mb(rssBefore)} before, peak ${mb(peak)} during the close (+${mb(peak - rssBefore)})`);
console.log(`  rows:       ${Object.entries(written).map(([k, v]) => `${k}=${v.toLocaleString("en")}`).join(", ")}`);
console.log(`  ${seconds < 30 ? "OK" : "MISS"}: target < 30 s`);
await ctx.clicks.close();
database.close();
tmp.remove();
