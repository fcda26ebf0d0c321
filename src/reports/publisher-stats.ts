import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { Forbidden } from "../shared/errors";
import { toCsv } from "./csv";
import { groupedStats, type GroupRow } from "./grouped-stats";
import { conversionRateBps, epcMinor } from "./kpis";
import { dayKey, lastDays, localDate, localMidnight, type Range } from "./periods";
import { formatMinor } from "../shared/money";

export const STATS_GROUPINGS = ["day", "program", "sub1", "sub2", "sub3", "sub4", "sub5", "country"] as const;
export const STATS_SORTS = ["key", "clicks", "conversions", "cr", "earnings"] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;
export const STATS_PAGE_SIZE = 50;

export const statsQuery = z.object({
  by: z.enum(STATS_GROUPINGS).catch("day"),
  from: z.string().optional(),
  to: z.string().optional(),
  sort: z.enum(STATS_SORTS).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type StatsQuery = z.infer<typeof statsQuery>;

export interface StatsPage {
  by: StatsQuery["by"]; from: string; to: string; range: Range;
  sort: (typeof STATS_SORTS)[number]; dir: "asc" | "desc";
  rows: GroupRow[]; total: number; page: number; pages: number;
  /** Field errors of the date range (the page then shows the default range). */
  errors?: Record<string, string[]>;
}

function parseDay(s: string): { y: number; m: number; d: number } | null {
  if (!DATE.test(s)) return null;
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? { y, m, d } : null;
}

/** from/to (local dates, both included) -> [start, end) in the network timezone; errors name the field. */
export function statsRange(q: Pick<StatsQuery, "from" | "to">, now: number, tz: string): { from: string; to: string; range: Range; errors?: Record<string, string[]> } {
  const days = lastDays(30, now, tz);
  const def = { from: dayKey(days[0]!, tz), to: dayKey(days[29]!, tz) };
  const errors: Record<string, string[]> = {};
  const from = parseDay(q.from || def.from), to = parseDay(q.to || def.to);
  if (!from) errors.from = ["Enter a date as YYYY-MM-DD"];
  if (!to) errors.to = ["Enter a date as YYYY-MM-DD"];
  if (from && to) {
    const start = localMidnight(from.y, from.m, from.d, tz), end = localMidnight(to.y, to.m, to.d + 1, tz);
    if (end <= start) errors.to = ["The end date must not be before the start date"];
    else if (end - start > MAX_DAYS * 86_400_000 + 7_200_000) errors.to = [`Choose at most ${MAX_DAYS} days`];
    else return { from: q.from || def.from, to: q.to || def.to, range: { start, end } };
  }
  const n = localDate(now, tz);
  return { ...def, range: { start: days[0]!, end: localMidnight(n.y, n.m, n.d + 1, tz) }, errors };
}

/** Earnings of a row in its first currency (sorting never adds currencies). */
const earnings = (r: GroupRow) => r.money[0]?.role === "publisher" ? r.money[0].earnings : 0;

/**
 * A publisher's own stats for a date range, grouped by day, program, one
 * sub-id or country, sorted and paged. Scope: the publisher's clicks and
 * credited live conversions only (groupedStats -> scope-sql.ts).
 */
export async function publisherStats({ ctx, actor, query }: { ctx: AppContext; actor: Actor; query: StatsQuery }): Promise<StatsPage & { all: GroupRow[] }> {
  if (actor.type !== "publisher") throw new Forbidden("Stats are a publisher's own");
  const { from, to, range, errors } = statsRange(query, ctx.clock.now(), ctx.config.NETWORK_TIMEZONE);
  const rows = await groupedStats({ ctx, actor, range, by: query.by });
  const sort = query.sort ?? "key";
  const dir = query.dir ?? (sort === "key" && query.by !== "day" ? "asc" : "desc");
  const val = (r: GroupRow): number | string => sort === "key" ? r.label : sort === "clicks" ? r.clicks : sort === "conversions" ? r.conversions
    : sort === "cr" ? conversionRateBps(r.conversions, r.clicks) ?? -1 : earnings(r);
  rows.sort((a, b) => {
    const x = val(a), y = val(b);
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return (dir === "asc" ? c : -c) || a.key.localeCompare(b.key);
  });
  const pages = Math.max(1, Math.ceil(rows.length / STATS_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  return { by: query.by, from, to, range, sort, dir, total: rows.length, page, pages, errors, all: rows, rows: rows.slice((page - 1) * STATS_PAGE_SIZE, page * STATS_PAGE_SIZE) };
}

/** The stats as CSV: one line per group and currency (amounts never summed across currencies). */
export function statsCsv(s: { by: string; all: GroupRow[] }): string {
  const lines: (string | number | null)[][] = [];
  for (const r of s.all) {
    const cr = conversionRateBps(r.conversions, r.clicks);
    const base = [r.key, r.label, r.clicks, r.conversions, cr === null ? "" : (cr / 100).toFixed(2)];
    if (r.money.length === 0) lines.push([...base, "", "", ""]);
    for (const m of r.money) {
      if (m.role !== "publisher") continue;
      const epc = epcMinor(m.earnings, r.clicks);
      lines.push([...base, m.currency, formatMinor(m.earnings, m.currency), epc === null ? "" : formatMinor(epc, m.currency)]);
    }
  }
  return toCsv([s.by, "name", "clicks", "conversions", "conversion_rate_pct", "currency", "earnings", "epc"], lines);
}
