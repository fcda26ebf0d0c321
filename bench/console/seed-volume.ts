/**
 * The console benchmark's database: a network created through the domain
 * (brands, programs in three currencies, 1,000 publishers, approvals, users),
 * then 10M clicks and 1M conversions generated in SQL straight into the
 * libSQL file, in large transactions. Kept apart from pages.ts so the data's
 * shape is readable on its own.
 *
 * Shape: 12 months of history ending at generation time, clicks evenly spread
 * (UUIDv7 ids whose millisecond is created_at, so the primary key stays
 * time-ordered), publishers Zipf-skewed with the top one at 10% of traffic,
 * 3% bots, conversions on one human click in ten (plus unattributed and a few
 * test ones), statuses by age (recent: mostly pending; older than 45 days:
 * mostly paid), money from each program's commission rule with the app's
 * rounding (half away from zero).
 */
import Database from "libsql";
import { boot } from "../../src/boot";
import { loadConfig } from "../../src/config";
import { SYSTEM } from "../../src/auth/authenticate";
import { acceptInvite } from "../../src/auth/users/accept-invite";
import { createUser } from "../../src/auth/users/create-user";
import { createApproval } from "../../src/network/approvals";
import { createBrand } from "../../src/network/brands";
import { putFxRate } from "../../src/network/fx-rates";
import { createProgram } from "../../src/network/programs";
import { createPublisher } from "../../src/network/publishers";
import { MIGRATIONS } from "../../src/db/migrations.gen";

export const PASSWORD = "bench console password 1";
export const USERS = { admin: "admin@bench.example", publisher: "top@bench.example", brand: "brand@bench.example" };
const DAY = 86_400_000;
const SLOTS = 100_000;
const CURRENCIES = ["USD", "USD", "EUR", "USD", "GBP", "EUR"] as const;

export interface SeedOptions { clicks: number; conversions: number; publishers: number; brands: number; programsPerBrand: number; now: number }

/** Publisher weights: the top one 10%, the rest Zipf (s = 1) over the remaining 90%. */
function weights(n: number): number[] {
  const z = Array.from({ length: n - 1 }, (_, i) => 1 / (i + 2));
  const sum = z.reduce((a, b) => a + b, 0);
  return [0.1, ...z.map((w) => (0.9 * w) / sum)];
}

/** Brands, programs, publishers, approvals and the three users, all through the domain verbs. */
async function seedNetwork(url: string, o: SeedOptions) {
  const { ctx, database } = await boot(loadConfig({ DATABASE_URL: url, SCHEDULER: "off" }), { geoBytes: null });
  await putFxRate(ctx, SYSTEM, { base: "EUR", quote: "USD", rate: "1.08" });
  await putFxRate(ctx, SYSTEM, { base: "GBP", quote: "USD", rate: "1.27" });
  const programs: { id: string; brandId: string }[] = [];
  const brandIds: string[] = [];
  for (let b = 0; b < o.brands; b++) {
    const brand = await createBrand(ctx, SYSTEM, { name: `Brand ${b + 1}` });
    brandIds.push(brand.id);
    for (let p = 0; p < o.programsPerBrand; p++) {
      const i = programs.length;
      const flat = i % 3 === 2;
      const prog = await createProgram(ctx, SYSTEM, {
        brand_id: brand.id, name: `Program ${i + 1}`, dest_url: `https://shop${b + 1}.example/p${p + 1}`, status: "active",
        commission_type: flat ? "flat_cpa" : "percentage", commission_value: flat ? `${5 + (i % 7) * 2}.00` : `${5 + (i % 6)}`,
        currency: CURRENCIES[i % CURRENCIES.length]!, cookie_window_days: 30, network_fee_pct: "20", pass_through_params: true,
      });
      programs.push({ id: prog.id, brandId: brand.id });
    }
  }
  const pubs: string[] = [];
  for (let i = 0; i < o.publishers; i++) {
    const p = await createPublisher(ctx, SYSTEM, { name: `Publisher ${i + 1}`, email: `pub${i + 1}@bench.example` });
    pubs.push(p.id as string);
  }
  // Each publisher on 1-4 programs (the top one on 6), spread over all programs.
  const picks: { approvalId: string; programId: string; publisherId: string; weight: number }[] = [];
  const w = weights(o.publishers);
  for (let i = 0; i < pubs.length; i++) {
    const n = i === 0 ? 6 : 1 + ((i * 7) % 4);
    for (let k = 0; k < n; k++) {
      const program = programs[(i * 5 + k * 11) % programs.length]!;
      const { approval } = await createApproval(ctx, SYSTEM, { program_id: program.id, publisher_id: pubs[i]! });
      picks.push({ approvalId: approval.id as string, programId: program.id, publisherId: pubs[i]!, weight: w[i]! / n });
    }
  }
  const topBrand = programs.find((p) => picks.some((x) => x.publisherId === pubs[0] && x.programId === p.id))!.brandId;
  for (const [role, email] of Object.entries(USERS) as [keyof typeof USERS, string][]) {
    const u = await createUser(ctx, SYSTEM, { email, role, brandId: role === "brand" ? topBrand : null, publisherId: role === "publisher" ? pubs[0]! : null });
    await acceptInvite(ctx, u.invite_url.split("/invite/")[1]!, PASSWORD);
  }
  await ctx.clicks.close();
  database.close();
  return { picks, topPublisherId: pubs[0]!, topBrandId: topBrand };
}

/** A SQL expression: the UUIDv7 text of millisecond `t` (version 7, variant 10, random tail). */
const uuidv7Sql = (t: string) =>
  `printf('%08x-%04x-7%03x-%04x-%012x', (${t}) >> 16, (${t}) & 65535, abs(random()) % 4096, 32768 | (random() & 16383), random() & 281474976710655)`;

function log(msg: string) { console.log(`  [seed ${new Date().toISOString().slice(11, 19)}] ${msg}`); }

/** The click pick table: SLOTS rows, each approval holding slots in proportion to its weight. */
function fillPicks(db: InstanceType<typeof Database>, picks: { approvalId: string; programId: string; publisherId: string; weight: number }[]) {
  db.exec("CREATE TEMP TABLE pick (n INTEGER PRIMARY KEY, approval_id TEXT, program_id TEXT, publisher_id TEXT)");
  const ins = db.prepare("INSERT INTO pick VALUES (?, ?, ?, ?)");
  const total = picks.reduce((a, p) => a + p.weight, 0);
  let n = 0, acc = 0;
  db.exec("BEGIN");
  for (const p of picks) {
    acc += p.weight;
    const upto = Math.min(SLOTS, Math.round((acc / total) * SLOTS));
    for (; n < upto; n++) ins.run([n, p.approvalId, p.programId, p.publisherId]);
  }
  for (; n < SLOTS; n++) ins.run([n, picks[0]!.approvalId, picks[0]!.programId, picks[0]!.publisherId]);
  db.exec("COMMIT");
}

const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

/** `count` clicks, time-ordered over [start, now), in chunks of 500k rows per transaction. */
function fillClicks(db: InstanceType<typeof Database>, count: number, start: number, now: number) {
  const span = now - start - 60_000;
  const CHUNK = 500_000;
  const stmt = db.prepare(`WITH RECURSIVE seq(i) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < CAST(? AS INTEGER)),
    timed AS (SELECT i, ${start} + (i * ${span}) / ${count} AS t FROM seq)
    INSERT INTO clicks (id, approval_id, program_id, publisher_id, created_at, ip_hash, user_agent, country, referrer, sub1, sub2, is_bot, bot_reason, via)
    SELECT ${uuidv7Sql("timed.t")}, pick.approval_id, pick.program_id, pick.publisher_id, timed.t,
      lower(hex(randomblob(16))), '${UA}', substr('USDEGBFRNLCAESITAUBR', 1 + 2 * (abs(random()) % 10), 2),
      CASE WHEN abs(random()) % 3 = 0 THEN 'https://blog.example/post-' || (abs(random()) % 500) END,
      CASE WHEN abs(random()) % 2 = 0 THEN 'nl-' || (abs(random()) % 40) END,
      CASE WHEN abs(random()) % 5 = 0 THEN 'placement-' || (abs(random()) % 8) END,
      abs(random()) % 100 < 3, NULL, 'link'
    FROM timed CROSS JOIN pick ON pick.n = abs(random()) % ${SLOTS} WHERE true ON CONFLICT(id) DO NOTHING`);
  for (let at = 0; at < count; at += CHUNK) {
    db.exec("BEGIN");
    stmt.run([at, Math.min(count, at + CHUNK)]);
    db.exec("COMMIT");
    log(`clicks ${Math.min(count, at + CHUNK).toLocaleString("en-US")}`);
  }
}

/** Status by age, drawn once per row (r in 0..99). */
const STATUS = `CASE
    WHEN x.age > ${45 * DAY} THEN CASE WHEN x.r < 8 THEN 'reversed' WHEN x.r < 18 THEN 'approved' ELSE 'paid' END
    WHEN x.age > ${15 * DAY} THEN CASE WHEN x.r < 7 THEN 'reversed' WHEN x.r < 25 THEN 'pending' ELSE 'approved' END
    ELSE CASE WHEN x.r < 5 THEN 'reversed' WHEN x.r < 10 THEN 'approved' ELSE 'pending' END END`;

/**
 * Conversions from a draft table (randoms drawn once per row, so no
 * expression is evaluated twice with different values), money by the
 * program's rule: commission = flat value or order x bps (rounded half away
 * from zero), fee = commission x fee bps, payout = commission - fee (0 when
 * unattributed).
 */
function insertFromDraft(db: InstanceType<typeof Database>, now: number) {
  db.exec(`INSERT INTO conversions (id, program_id, brand_id, brand_order_ref, order_value_minor, order_currency, program_value_minor, currency, fx_rate,
      sent_click_ref, click_id, publisher_id, attribution_reason, commission_minor, network_fee_minor, publisher_payout_minor, status, source, is_test,
      reversal_reason, created_at, updated_at, approved_at, reversed_at)
    SELECT ${uuidv7Sql("d.t")}, p.id, p.brand_id, d.ref, d.ov, p.currency, d.ov, p.currency, NULL, d.click_id, d.click_id, d.publisher_id,
      CASE WHEN d.click_id IS NULL THEN 'no_click_sent' ELSE 'credited' END, d.comm, d.fee, CASE WHEN d.publisher_id IS NULL THEN 0 ELSE d.comm - d.fee END,
      d.status, 'postback', d.is_test, CASE WHEN d.status = 'reversed' THEN 'refund' END, d.t,
      CASE WHEN d.status = 'pending' THEN d.t ELSE min(${now - 1000}, d.t + ${10 * DAY}) END,
      CASE WHEN d.status IN ('approved', 'paid') THEN min(${now - 1000}, d.t + ${10 * DAY}) END,
      CASE WHEN d.status = 'reversed' THEN min(${now - 1000}, d.t + ${10 * DAY}) END
    FROM (SELECT x.*, ${STATUS} AS status FROM draft x) d JOIN programs p ON p.id = d.program_id WHERE true`);
}

/** The draft's money columns, from the program's terms. */
const MONEY = `CASE p.commission_type WHEN 'percentage' THEN (ov * p.commission_value + 5000) / 10000 ELSE p.commission_value END`;

function fillConversions(db: InstanceType<typeof Database>, count: number, clicks: number, start: number, now: number) {
  const fromClicks = Math.floor(clicks / 10);
  db.exec(`CREATE TEMP TABLE draft (t INTEGER, age INTEGER, r INTEGER, ref TEXT, ov INTEGER, comm INTEGER, fee INTEGER, program_id TEXT, click_id TEXT, publisher_id TEXT, is_test INTEGER)`);
  db.exec("BEGIN");
  // One human click in ten converts, 0-3 days later (never in the future: a click younger than
  // 3 days converts within the time it has had, so no two conversions share a clamped instant).
  db.exec(`WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k + 1 < ${fromClicks})
    INSERT INTO draft (t, r, ref, ov, program_id, click_id, publisher_id, is_test)
    SELECT c.created_at + abs(random()) % max(1, min(${3 * DAY}, ${now - 2000} - c.created_at)), abs(random()) % 100, 'ord-' || seq.k,
      1000 + abs(random()) % 24000 + (abs(random()) % 4) * (abs(random()) % 25000), c.program_id, c.id, c.publisher_id, 0
    FROM seq CROSS JOIN clicks c ON c.rowid = seq.k * 10 + 3 WHERE c.is_bot = 0`);
  const [{ n }] = db.prepare("SELECT count(*) AS n FROM draft").all() as [{ n: number }];
  // The rest: unattributed (no click sent), one in twenty a test conversion.
  db.exec(`WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k + 1 < ${count - n})
    INSERT INTO draft (t, r, ref, ov, program_id, click_id, publisher_id, is_test)
    SELECT ${start} + abs(random()) % ${now - start - 2000}, abs(random()) % 100, 'un-' || seq.k, 1000 + abs(random()) % 30000,
      (SELECT id FROM programs ORDER BY id LIMIT 1 OFFSET abs(random()) % (SELECT count(*) FROM programs)), NULL, NULL, seq.k % 20 = 0 FROM seq`);
  db.exec(`UPDATE draft SET age = ${now} - t, comm = (SELECT ${MONEY} FROM programs p WHERE p.id = draft.program_id)`);
  db.exec(`UPDATE draft SET fee = (comm * (SELECT network_fee_bps FROM programs p WHERE p.id = draft.program_id) + 5000) / 10000`);
  db.exec("COMMIT");
  log(`conversion drafts ${count.toLocaleString("en-US")}`);
  db.exec("BEGIN");
  insertFromDraft(db, now);
  db.exec("COMMIT");
  log("conversions inserted");
}

/**
 * The click rollups of the generated clicks: the migration's own backfill
 * statements (the click writer fills them in a running appliance; these rows
 * went in by SQL). Conversions need nothing: their triggers ran on insert.
 */
function rollUpClicks(db: InstanceType<typeof Database>) {
  const backfill = MIGRATIONS.find((m) => m.tag.endsWith("_report_rollups_backfill"))?.sql.split("--> statement-breakpoint")
    .map((s) => s.replace(/^--.*$/gm, "").trim()).filter((s) => s.startsWith("INSERT INTO click_rollups"));
  if (!backfill?.length) return; // a schema without rollups (an older checkout)
  db.exec("BEGIN");
  db.exec("DELETE FROM click_rollups");
  for (const stmt of backfill) db.exec(stmt);
  db.exec("COMMIT");
  log("click rollups");
}

/** Builds the database at `path` (which must not exist yet). */
export async function buildVolumeDb(path: string, o: SeedOptions) {
  const t0 = performance.now();
  const net = await seedNetwork(`file:${path}`, o);
  log(`network: ${o.brands} brands, ${o.brands * o.programsPerBrand} programs, ${o.publishers} publishers, ${net.picks.length} approvals (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const db = new Database(path, { timeout: 10_000 } as never);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY");
  fillPicks(db, net.picks);
  const start = o.now - 365 * DAY;
  fillClicks(db, o.clicks, start, o.now);
  rollUpClicks(db);
  fillConversions(db, o.conversions, o.clicks, start, o.now);
  // No ANALYZE: the appliance never runs it, so the plans measured are the plans a real install gets.
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  return net;
}
