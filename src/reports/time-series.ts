import { sql } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { visibleMoney, type MoneyFigures, type MoneyRow } from "./money-figures";
import { dayKey, lastDays } from "./periods";
import { clickFacts, conversionFacts, FACT_HAVING, FACT_MONEY } from "./rollup-sql";
import { roleOf } from "./scope-sql";

export interface DayPoint { day: string; start: number; clicks: number; conversions: number; money: MoneyFigures[] }

/** Day -> index, for rollup buckets (each lies within one local day: the day starts are cuts). */
function dayIndex(starts: number[], end: number) {
  return (t: number): number => {
    if (t < starts[0]! || t >= end) return -1;
    let i = starts.length - 1;
    while (starts[i]! > t) i--;
    return i;
  };
}

/** Clicks, conversions and money per local day for the last `days` days (today included), scoped to the actor. */
export async function dailySeries({ ctx, actor, days = 30 }: { ctx: AppContext; actor: Actor; days?: number }): Promise<DayPoint[]> {
  const now = ctx.clock.now();
  const tz = ctx.config.NETWORK_TIMEZONE;
  const starts = lastDays(days, now, tz);
  const range = { start: starts[0]!, end: now + 1 };
  const [clickRows, convRows] = await Promise.all([
    ctx.db.all<{ t: number; n: number }>(sql`SELECT f.t AS t, sum(f.n) AS n FROM (${clickFacts(actor, range, null, starts)}) f GROUP BY f.t`),
    ctx.db.all<MoneyRow & { t: number }>(sql`SELECT f.t AS t, ${sql.raw(FACT_MONEY)} FROM (${conversionFacts(actor, range, null, starts)}) f
      GROUP BY f.t, f.currency HAVING ${sql.raw(FACT_HAVING)}`),
  ]);
  const at = dayIndex(starts, range.end);
  const points: DayPoint[] = starts.map((start) => ({ day: dayKey(start, tz), start, clicks: 0, conversions: 0, money: [] }));
  const sums = starts.map(() => new Map<string, MoneyRow>());
  for (const r of clickRows) { const i = at(r.t); if (i >= 0) points[i]!.clicks += r.n; }
  for (const r of convRows) {
    const i = at(r.t);
    if (i < 0) continue;
    points[i]!.conversions += r.conversions;
    const m = sums[i]!;
    const s = m.get(r.currency);
    if (!s) { m.set(r.currency, { ...r }); continue; }
    for (const k of ["conversions", "sales", "commission", "fee", "payout", "pending", "approved", "paid"] as const) s[k] += r[k];
  }
  const role = roleOf(actor);
  sums.forEach((m, i) => { points[i]!.money = [...m.values()].sort((a, b) => a.currency.localeCompare(b.currency)).map((r) => visibleMoney(role, r)); });
  return points;
}
