import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { conversionRollups } from "../db/schema";
import { Forbidden } from "../shared/errors";

export interface Balance { currency: string; pendingMinor: number; approvedMinor: number; paidMinor: number }

/**
 * A publisher's earnings by state and currency (never added across
 * currencies): pending (not yet reviewed), approved (owed, not yet paid),
 * paid. Reversed conversions pay nothing. Live conversions only, read from
 * the publisher's own day buckets of the rollups (report-rollups.ts: all time,
 * each conversion in exactly one), not from its conversions.
 */
export async function publisherBalances(ctx: AppContext, actor: Actor): Promise<Balance[]> {
  if (actor.type !== "publisher") throw new Forbidden("Balances are a publisher's own");
  const r = conversionRollups;
  const rows = await ctx.db.select({ status: r.status, currency: r.currency, total: sql<number>`sum(${r.payoutMinor})` })
    .from(r).where(and(eq(r.dim, "X"), eq(r.key1, actor.publisherId), eq(r.grain, 2)))
    .groupBy(r.status, r.currency).having(sql`sum(${r.conversions}) > 0`);
  const by = new Map<string, Balance>();
  for (const r of rows) {
    const b = by.get(r.currency) ?? { currency: r.currency, pendingMinor: 0, approvedMinor: 0, paidMinor: 0 };
    if (r.status === "pending") b.pendingMinor += Number(r.total);
    if (r.status === "approved") b.approvedMinor += Number(r.total);
    if (r.status === "paid") b.paidMinor += Number(r.total);
    by.set(r.currency, b);
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
