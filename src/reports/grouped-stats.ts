import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { Forbidden } from "../shared/errors";
import { MONEY_COLUMNS, visibleMoney, type MoneyFigures, type MoneyRow } from "./money-figures";
import { dayKey, type Range } from "./periods";
import { localMidnightsIn } from "./rollup-ranges";
import { clickFacts, conversionFacts, FACT_HAVING, FACT_MONEY } from "./rollup-sql";
import { clickWhere, conversionWhere, roleOf } from "./scope-sql";

export const GROUPINGS = ["day", "program", "publisher", "sub1", "sub2", "sub3", "sub4", "sub5", "country"] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface GroupRow { key: string; label: string; clicks: number; conversions: number; money: MoneyFigures[] }

const MONEY_KEYS = ["conversions", "sales", "commission", "fee", "payout", "pending", "approved", "paid"] as const;

/**
 * The SQL key of a sub-id or country grouping for clicks (alias c) and
 * conversions (alias v): they live on the click, so conversions reach them
 * through their credited click.
 */
function keys(by: Grouping): { click: SQL; conv: SQL; join: boolean } {
  switch (by) {
    case "day": case "program": case "publisher": throw new Error(`${by} is read from the rollups`);
    case "country": return { click: sql`coalesce(c.country, '')`, conv: sql`coalesce(c.country, '')`, join: true };
    default: { const col = sql.raw(`coalesce(c.${by}, '')`); return { click: col, conv: col, join: true }; }
  }
}

async function labels(ctx: AppContext, by: Grouping, ids: string[]): Promise<Map<string, string>> {
  if ((by !== "program" && by !== "publisher") || ids.length === 0) return new Map();
  const table = sql.raw(by === "program" ? "programs" : "publishers");
  const rows = await ctx.db.all<{ id: string; name: string }>(sql`SELECT id, name FROM ${table} WHERE id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Day, program and publisher read the rollups (rollup-sql.ts): a day groups
 * the buckets that start in it (the local midnights cut the range, so no
 * bucket spans two days). Sub-ids and country live only on the clicks.
 */
async function rolledUp(ctx: AppContext, actor: Actor, range: Range, by: "day" | "program" | "publisher") {
  const day = by === "day";
  const cuts = day ? localMidnightsIn(range, ctx.config.NETWORK_TIMEZONE) : [];
  const key = day ? null : by;
  const g = sql.raw(day ? "f.t" : "f.k");
  return Promise.all([
    ctx.db.all<{ k: string | number | null; n: number }>(sql`SELECT ${g} AS k, sum(f.n) AS n FROM (${clickFacts(actor, range, key, cuts)}) f GROUP BY ${g}`),
    ctx.db.all<MoneyRow & { k: string | number | null }>(sql`SELECT ${g} AS k, ${sql.raw(FACT_MONEY)} FROM (${conversionFacts(actor, range, key, cuts)}) f
      GROUP BY ${g}, f.currency HAVING ${sql.raw(FACT_HAVING)}`),
  ]);
}

async function fromClicks(ctx: AppContext, actor: Actor, range: Range, by: Grouping) {
  const k = keys(by);
  const join = k.join ? sql`LEFT JOIN clicks c ON c.id = v.click_id` : sql``;
  return Promise.all([
    ctx.db.all<{ k: string | number | null; n: number }>(sql`SELECT ${k.click} AS k, count(*) AS n FROM clicks c WHERE ${clickWhere(actor, range)} GROUP BY k`),
    ctx.db.all<MoneyRow & { k: string | number | null }>(sql`SELECT ${k.conv} AS k, ${sql.raw(MONEY_COLUMNS)} FROM conversions v ${join}
      WHERE ${conversionWhere(actor, range)} AND v.status != 'reversed' GROUP BY k, v.currency`),
  ]);
}

/**
 * Clicks, conversions and per-currency money in `range`, grouped by day,
 * program, publisher (admin only: nobody else may see other publishers),
 * sub-id or country, scoped to the actor in SQL. Unattributed conversions have
 * no click: they group under "" (shown as "none").
 */
export async function groupedStats({ ctx, actor, range, by }: { ctx: AppContext; actor: Actor; range: Range; by: Grouping }): Promise<GroupRow[]> {
  const role = roleOf(actor);
  if (by === "publisher" && role !== "admin") throw new Forbidden("Only the network sees publishers side by side");
  const [clickRows, convRows] = by === "day" || by === "program" || by === "publisher" ? await rolledUp(ctx, actor, range, by) : await fromClicks(ctx, actor, range, by);
  const tz = ctx.config.NETWORK_TIMEZONE;
  const keyOf = (raw: string | number | null) => by === "day" ? dayKey(Number(raw), tz) : String(raw ?? "");
  const groups = new Map<string, { clicks: number; conversions: number; money: Map<string, MoneyRow> }>();
  const group = (key: string) => {
    let g = groups.get(key);
    if (!g) groups.set(key, g = { clicks: 0, conversions: 0, money: new Map() });
    return g;
  };
  for (const r of clickRows) group(keyOf(r.k)).clicks += r.n;
  for (const r of convRows) {
    const g = group(keyOf(r.k));
    g.conversions += r.conversions;
    const s = g.money.get(r.currency);
    if (!s) g.money.set(r.currency, { ...r });
    else for (const f of MONEY_KEYS) s[f] += r[f];
  }
  const names = await labels(ctx, by, [...groups.keys()].filter(Boolean));
  return [...groups.entries()].map(([key, g]) => ({
    key, label: names.get(key) ?? key, clicks: g.clicks, conversions: g.conversions,
    money: [...g.money.values()].sort((a, b) => a.currency.localeCompare(b.currency)).map((r) => visibleMoney(role, r)),
  }));
}

/** The top `limit` programs (or publishers, admin only) of a range by conversions, then clicks. */
export async function topGroups({ ctx, actor, range, by, limit = 5 }: { ctx: AppContext; actor: Actor; range: Range; by: "program" | "publisher"; limit?: number }): Promise<GroupRow[]> {
  const rows = await groupedStats({ ctx, actor, range, by });
  return rows.filter((r) => r.key !== "").sort((a, b) => b.conversions - a.conversions || b.clicks - a.clicks || a.label.localeCompare(b.label)).slice(0, limit);
}
