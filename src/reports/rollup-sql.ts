import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import { Forbidden } from "../shared/errors";
import type { Range } from "./periods";
import { GRAIN_MS, rollupPieces, type Span } from "./rollup-ranges";
import { clickWhere, conversionWhere, uuidv7Floor } from "./scope-sql";

/**
 * Report facts read from the rollups (src/db/schema/report-rollups.ts) plus
 * the base rows of the few unaligned minutes no bucket covers, scoped to the
 * actor here as scope-sql.ts scopes the base rows:
 *   network (admin, system, tokens): dim G, every program (per publisher: dim P)
 *   brand: dim G, the brand's programs
 *   publisher: dim X under its own id
 * Each fact row has `k` (program or publisher id, "" for none) and `t` (start
 * of its bucket, inside one local day when `cuts` are the day starts).
 */
export type FactKey = "program" | "publisher";

function dimOf(actor: Actor, by: FactKey | null): { dim: string; key1: string; programsOf: string | null } {
  if (actor.type === "publisher") return { dim: "X", key1: actor.publisherId, programsOf: null };
  if (by === "publisher") {
    if (actor.type === "brand") throw new Forbidden("Only the network sees publishers side by side");
    return { dim: "P", key1: "", programsOf: null };
  }
  return { dim: "G", key1: "", programsOf: actor.type === "brand" ? actor.brandId : null };
}

/** The WHERE of one span of rollup rows (alias r): one index range of the covering index. */
function spanWhere(actor: Actor, by: FactKey | null, s: Span): SQL {
  const d = dimOf(actor, by);
  const brand = d.programsOf === null ? sql`` : sql` AND r.key2 IN (SELECT id FROM programs WHERE brand_id = ${d.programsOf})`;
  return sql`r.dim = ${d.dim} AND r.key1 = ${d.key1} AND r.grain = ${s.grain} AND r.bucket >= ${s.from} AND r.bucket < ${s.to}${brand}`;
}

/** The start of a base row's quarter hour, kept inside its piece (so inside its local day). */
const baseT = (alias: string, piece: Range) => sql.raw(`max(${alias}.created_at / 900000 * 900000, ${piece.start})`);

const NONE = sql`SELECT '' AS k, 0 AS t, 0 AS n WHERE 0`;
const HOUR = GRAIN_MS[1]!;
/** How far past its hour a click's id is looked for (ids run ahead of created_at only when the clock stepped back). */
const ID_SLACK_MS = 60_000;

/**
 * An upper bound on the ids of a partial piece's clicks, proven in the same
 * statement. clickWhere bounds ids from below only (an id is never older than
 * its created_at, but may be newer), so a piece in the past would scan every
 * later click (a month of them for "last month until this time"). Here the
 * scan stops at the piece's hours + a minute when every human click of those
 * hours has its id below that (their count equals the rollup's, dim G); when
 * one does not (the clock stepped back), the bound is lifted ('g' sorts after
 * every id) and the scan is the unbounded one: exact either way.
 */
function idCeiling(piece: Range): SQL {
  const from = Math.floor(piece.start / HOUR) * HOUR, to = Math.ceil(piece.end / HOUR) * HOUR;
  const bound = uuidv7Floor(to + ID_SLACK_MS);
  return sql`CASE WHEN (SELECT count(*) FROM clicks h WHERE h.id >= ${uuidv7Floor(from)} AND h.id < ${bound} AND h.created_at >= ${from} AND h.created_at < ${to} AND h.is_bot = 0)
    = (SELECT coalesce(sum(r.clicks), 0) FROM click_rollups r WHERE r.dim = 'G' AND r.key1 = '' AND r.grain = 1 AND r.bucket >= ${from / HOUR} AND r.bucket < ${to / HOUR})
    THEN ${bound} ELSE 'g' END`;
}

/** Human clicks as (k, t, n) rows: rollup buckets plus base clicks of the unaligned edges. */
export function clickFacts(actor: Actor, range: Range, by: FactKey | null, cuts: number[] = []): SQL {
  const p = rollupPieces(range, cuts);
  const parts: SQL[] = p.spans.map((s) => sql`SELECT r.key2 AS k, r.bucket * ${GRAIN_MS[s.grain]!} AS t, r.clicks AS n FROM click_rollups r WHERE ${spanWhere(actor, by, s)}`);
  const k = by === "publisher" ? sql`c.publisher_id` : sql`c.program_id`;
  for (const piece of p.partial) parts.push(sql`SELECT ${k} AS k, ${baseT("c", piece)} AS t, 1 AS n FROM clicks c WHERE ${clickWhere(actor, piece)} AND c.id < ${idCeiling(piece)}`);
  return parts.length ? sql.join(parts, sql` UNION ALL `) : NONE;
}

const CONV_NONE = sql`SELECT '' AS k, 0 AS t, '' AS currency, '' AS status, 0 AS conversions, 0 AS sales, 0 AS commission, 0 AS fee, 0 AS payout WHERE 0`;

/** Live (not reversed, not test) conversions' money as (k, t, currency, status, sums) rows. */
export function conversionFacts(actor: Actor, range: Range, by: FactKey | null, cuts: number[] = []): SQL {
  const p = rollupPieces(range, cuts);
  const parts: SQL[] = p.spans.map((s) => sql`SELECT r.key2 AS k, r.bucket * ${GRAIN_MS[s.grain]!} AS t, r.currency AS currency, r.status AS status,
    r.conversions AS conversions, r.sales_minor AS sales, r.commission_minor AS commission, r.fee_minor AS fee, r.payout_minor AS payout
    FROM conversion_rollups r WHERE ${spanWhere(actor, by, s)} AND r.status != 'reversed'`);
  const k = by === "publisher" ? sql`coalesce(v.publisher_id, '')` : sql`v.program_id`;
  for (const piece of p.partial) parts.push(sql`SELECT ${k} AS k, ${baseT("v", piece)} AS t, v.currency AS currency, v.status AS status, 1 AS conversions,
    v.program_value_minor AS sales, v.commission_minor AS commission, v.network_fee_minor AS fee, v.publisher_payout_minor AS payout
    FROM conversions v WHERE ${conversionWhere(actor, piece)} AND v.status != 'reversed'`);
  return parts.length ? sql.join(parts, sql` UNION ALL `) : CONV_NONE;
}

/**
 * The select list that sums conversion facts (alias f) into a MoneyRow; group
 * by f.currency (and a key) and keep FACT_HAVING: a rollup row emptied by a
 * status change must not make a group appear.
 */
export const FACT_MONEY = `f.currency AS currency, sum(f.conversions) AS conversions,
  sum(f.sales) AS sales, sum(f.commission) AS commission, sum(f.fee) AS fee, sum(f.payout) AS payout,
  sum(CASE WHEN f.status = 'pending' THEN f.payout ELSE 0 END) AS pending,
  sum(CASE WHEN f.status = 'approved' THEN f.payout ELSE 0 END) AS approved,
  sum(CASE WHEN f.status = 'paid' THEN f.payout ELSE 0 END) AS paid`;
export const FACT_HAVING = "sum(f.conversions) > 0";
