import { and, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { clicks, conversions } from "../db/schema";
import { DAY_MS } from "../shared/clock";
import { Forbidden } from "../shared/errors";
import { UUID_RE } from "../shared/ids";
import { formatMinor } from "../shared/money";
import { fraudSignals, OUTLIER_DAYS, OUTLIER_SAMPLE, valueStats, type Signal, type ValueStats } from "./fraud-signals";
import type { ConversionRow } from "./serialize";

type SignalClick = { id: string; createdAt: number; isBot: boolean; botReason: string | null; ipHash: string | null };

/** The click a conversion names: the credited one, else the id the sender supplied (a bot click is never credited). */
const clickRefOf = (c: ConversionRow) => c.clickId ?? (c.sentClickRef && UUID_RE.test(c.sentClickRef) ? c.sentClickRef.toLowerCase() : null);

/**
 * Fraud signals for a page of conversions (admin only: they reveal other
 * parties' clicks). Few, indexed queries per page: the clicks by primary key;
 * per UTC day on the page, that day's conversions (conversions_created) joined
 * to their clicks by primary key and grouped by IP hash; per program, a sample
 * of its recent order values (conversions_program_created).
 */
export async function signalsFor(ctx: AppContext, actor: Actor, rows: ConversionRow[]): Promise<Map<string, Signal[]>> {
  if (actor.type !== "admin") throw new Forbidden("Fraud signals are for the network");
  const refs = [...new Set(rows.map(clickRefOf).filter((r): r is string => r !== null))];
  const found: SignalClick[] = refs.length ? await ctx.db.select({
    id: clicks.id, createdAt: clicks.createdAt, isBot: clicks.isBot, botReason: clicks.botReason, ipHash: clicks.ipHash,
  }).from(clicks).where(inArray(clicks.id, refs)) : [];
  const byId = new Map(found.map((c) => [c.id, c]));
  const [sameIp, values] = await Promise.all([sameIpCounts(ctx, rows, byId), programValues(ctx, rows)]);
  const out = new Map<string, Signal[]>();
  for (const c of rows) {
    const click = byId.get(clickRefOf(c) ?? "") ?? null;
    out.set(c.id, fraudSignals({
      conversion: c, click, programValues: values.get(c.programId) ?? null,
      sameIpCount: click?.ipHash ? sameIp.get(`${utcDay(c.createdAt)}|${click.ipHash}`) ?? 0 : 0,
    }, (m) => `${formatMinor(m, c.currency)} ${c.currency}`));
  }
  return out;
}

const utcDay = (t: number) => Math.floor(t / DAY_MS);

/** "day|ipHash" -> conversions that day whose click had that IP hash (salts are daily: equal hash = same IP, same day). */
async function sameIpCounts(ctx: AppContext, rows: ConversionRow[], clicksById: Map<string, SignalClick>): Promise<Map<string, number>> {
  const hashesByDay = new Map<number, Set<string>>();
  for (const c of rows) {
    const h = clicksById.get(clickRefOf(c) ?? "")?.ipHash;
    if (!h) continue;
    const day = utcDay(c.createdAt);
    hashesByDay.set(day, (hashesByDay.get(day) ?? new Set()).add(h));
  }
  const out = new Map<string, number>();
  for (const [day, hashes] of hashesByDay) {
    const counted = await ctx.db.select({ ipHash: clicks.ipHash, n: sql<number>`count(*)` })
      .from(conversions).innerJoin(clicks, eq(clicks.id, conversions.clickId))
      .where(and(gte(conversions.createdAt, day * DAY_MS), lt(conversions.createdAt, (day + 1) * DAY_MS), inArray(clicks.ipHash, [...hashes])))
      .groupBy(clicks.ipHash);
    for (const r of counted) out.set(`${day}|${r.ipHash}`, Number(r.n));
  }
  return out;
}

/** Per program on the page: median and p95 of a sample of its latest live order values (last 30 days). */
async function programValues(ctx: AppContext, rows: ConversionRow[]): Promise<Map<string, ValueStats>> {
  const since = ctx.clock.now() - OUTLIER_DAYS * DAY_MS;
  const out = new Map<string, ValueStats>();
  for (const programId of new Set(rows.map((r) => r.programId))) {
    const sample = await ctx.db.select({ v: conversions.programValueMinor }).from(conversions)
      .where(and(eq(conversions.programId, programId), gte(conversions.createdAt, since), eq(conversions.isTest, false)))
      .orderBy(desc(conversions.createdAt)).limit(OUTLIER_SAMPLE);
    out.set(programId, valueStats(sample.map((s) => s.v)));
  }
  return out;
}
