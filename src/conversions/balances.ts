import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { conversions } from "../db/schema";
import { Forbidden } from "../shared/errors";

export interface Balance { currency: string; pendingMinor: number; approvedMinor: number; paidMinor: number }

/**
 * A publisher's earnings by state and currency (never added across
 * currencies): pending (not yet reviewed), approved (owed, not yet paid),
 * paid. Reversed conversions pay nothing. Live conversions only; one indexed
 * pass over the publisher's conversions (conversions_publisher_created).
 */
export async function publisherBalances(ctx: AppContext, actor: Actor): Promise<Balance[]> {
  if (actor.type !== "publisher") throw new Forbidden("Balances are a publisher's own");
  const rows = await ctx.db.select({ status: conversions.status, currency: conversions.currency, total: sql<number>`sum(${conversions.publisherPayoutMinor})` })
    .from(conversions).where(and(eq(conversions.publisherId, actor.publisherId), eq(conversions.isTest, false)))
    .groupBy(conversions.status, conversions.currency);
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
