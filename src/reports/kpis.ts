import { sql } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { divRound } from "../shared/money";
import { visibleMoney, type MoneyFigures, type MoneyRow } from "./money-figures";
import { periodOf, PERIODS, trend, type PeriodKind, type Range, type Trend } from "./periods";
import { clickFacts, conversionFacts, FACT_HAVING, FACT_MONEY } from "./rollup-sql";
import { roleOf } from "./scope-sql";

/** Counts and money of one range. Conversions and money leave reversed conversions out (they never pay). */
export interface Figures { clicks: number; conversions: number; money: MoneyFigures[] }
export interface PeriodKpis {
  kind: PeriodKind; range: Range; previousRange: Range;
  current: Figures; previous: Figures;
  /** Trend per count and per money field of each currency (never across currencies). */
  trends: { clicks: Trend; conversions: Trend; money: Record<string, Record<string, Trend>> };
}

/** Conversion rate in basis points of clicks (1234 = 12.34%), null without clicks. */
export function conversionRateBps(conversions: number, clicks: number): number | null {
  return clicks === 0 ? null : Number(divRound(BigInt(conversions) * 10_000n, BigInt(clicks)));
}
/** Earnings per click in minor units of the currency (rounded half away from zero), null without clicks. */
export function epcMinor(earningsMinor: number, clicks: number): number | null {
  return clicks === 0 ? null : Number(divRound(BigInt(earningsMinor), BigInt(clicks)));
}

/** Clicks, conversions and per-currency money of one range, as `actor` may see them (from the rollups: rollup-sql.ts). */
export async function figures(ctx: AppContext, actor: Actor, range: Range): Promise<Figures> {
  const [clicks] = await ctx.db.all<{ n: number }>(sql`SELECT coalesce(sum(f.n), 0) AS n FROM (${clickFacts(actor, range, null)}) f`);
  const rows = await ctx.db.all<MoneyRow>(sql`SELECT ${sql.raw(FACT_MONEY)} FROM (${conversionFacts(actor, range, null)}) f
    GROUP BY f.currency HAVING ${sql.raw(FACT_HAVING)} ORDER BY f.currency`);
  const role = roleOf(actor);
  return { clicks: clicks?.n ?? 0, conversions: rows.reduce((s, r) => s + r.conversions, 0), money: rows.map((r) => visibleMoney(role, r)) };
}

function moneyTrends(cur: MoneyFigures[], prev: MoneyFigures[]): Record<string, Record<string, Trend>> {
  const out: Record<string, Record<string, Trend>> = {};
  for (const c of cur) {
    const p = prev.find((x) => x.currency === c.currency) as Record<string, unknown> | undefined;
    out[c.currency] = {};
    for (const [k, v] of Object.entries(c)) if (typeof v === "number") out[c.currency]![k] = trend(v, typeof p?.[k] === "number" ? (p[k] as number) : 0);
  }
  return out;
}

/**
 * KPIs for today, yesterday, this month and last month in the network
 * timezone, each with its trend against the previous equivalent period, scoped
 * to the actor in SQL (scope-sql.ts).
 */
export async function kpis({ ctx, actor, periods = [...PERIODS] }: { ctx: AppContext; actor: Actor; periods?: PeriodKind[] }): Promise<PeriodKpis[]> {
  const now = ctx.clock.now();
  const tz = ctx.config.NETWORK_TIMEZONE;
  return Promise.all(periods.map(async (kind) => {
    const p = periodOf(kind, now, tz);
    const [current, previous] = await Promise.all([figures(ctx, actor, p.current), figures(ctx, actor, p.previous)]);
    return {
      kind, range: p.current, previousRange: p.previous, current, previous,
      trends: { clicks: trend(current.clicks, previous.clicks), conversions: trend(current.conversions, previous.conversions), money: moneyTrends(current.money, previous.money) },
    };
  }));
}
