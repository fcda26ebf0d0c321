import { and, asc, desc, eq, isNull, min } from "drizzle-orm";
import { SYSTEM } from "../auth/authenticate";
import type { AppContext } from "../context";
import { conversions, settlements } from "../db/schema";
import { nextPeriod, parsePeriod, periodOf, previousPeriod, type Period } from "../shared/period";
import { closePeriod } from "./close-period";

/** At most this many months are caught up in one run (a process down for years closes the rest next time). */
const MAX_CATCH_UP = 36;

/**
 * The scheduler's close: finishes a close left half-done by a crash, then
 * closes every ended month not yet closed, oldest first (a process that was
 * down on the 1st catches up when it starts). Each close is write-once, so
 * running this on every start and every 1st is safe.
 */
export async function closeDuePeriods(ctx: AppContext): Promise<{ done: number; alreadyDone: number; failures: number; periods: string[] }> {
  const todo = await duePeriods(ctx);
  let done = 0, alreadyDone = 0, failures = 0;
  for (const key of todo) {
    try {
      const r = await closePeriod(ctx, SYSTEM, key);
      r.created ? done++ : alreadyDone++;
    } catch (e) {
      failures++;
      console.error(`[monthly-close] ${key} failed:`, e);
      break; // periods close in order: do not skip one
    }
  }
  return { done, alreadyDone, failures, periods: todo };
}

/** Periods to close now, oldest first: a half-done close, then every ended month after the latest close. */
export async function duePeriods(ctx: AppContext): Promise<string[]> {
  const zone = ctx.config.NETWORK_TIMEZONE;
  const lastEnded = previousPeriod(periodOf(ctx.clock.now(), zone), zone);
  const todo: string[] = [];
  const open = await ctx.db.select({ period: settlements.period }).from(settlements).where(eq(settlements.status, "closing")).orderBy(asc(settlements.period));
  todo.push(...open.map((o) => o.period));
  const [latest] = await ctx.db.select({ period: settlements.period }).from(settlements).orderBy(desc(settlements.period)).limit(1);
  let from: Period | null = latest ? nextPeriod(parsePeriod(latest.period, zone)!, zone) : await firstUnsettledPeriod(ctx, zone);
  from ??= lastEnded;
  for (let p = from, k = 0; p.start <= lastEnded.start && k < MAX_CATCH_UP; p = nextPeriod(p, zone), k++) todo.push(p.key);
  return todo;
}

async function firstUnsettledPeriod(ctx: AppContext, zone: string): Promise<Period | null> {
  const [row] = await ctx.db.select({ t: min(conversions.createdAt) }).from(conversions)
    .where(and(isNull(conversions.settlementId), eq(conversions.status, "approved"), eq(conversions.isTest, false)));
  return row?.t ? periodOf(row.t, zone) : null;
}
