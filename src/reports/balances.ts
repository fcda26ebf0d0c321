import { sql } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { Forbidden } from "../shared/errors";

/** A publisher's earnings by status over all time, per currency (minor units). */
export interface Balance { currency: string; pending: number; approved: number; paid: number }

/**
 * The publisher's own balances: pending (awaiting review), approved (due at the
 * next settlement) and paid. Live conversions only; reversed ones never pay.
 */
export async function publisherBalances({ ctx, actor }: { ctx: AppContext; actor: Actor }): Promise<Balance[]> {
  if (actor.type !== "publisher") throw new Forbidden("Balances are a publisher's own");
  // All time = every day bucket of the publisher's own rollup rows (report-rollups.ts), each conversion in exactly one.
  return ctx.db.all<Balance>(sql`SELECT r.currency AS currency,
      coalesce(sum(CASE WHEN r.status = 'pending' THEN r.payout_minor ELSE 0 END), 0) AS pending,
      coalesce(sum(CASE WHEN r.status = 'approved' THEN r.payout_minor ELSE 0 END), 0) AS approved,
      coalesce(sum(CASE WHEN r.status = 'paid' THEN r.payout_minor ELSE 0 END), 0) AS paid
    FROM conversion_rollups r WHERE r.dim = 'X' AND r.key1 = ${actor.publisherId} AND r.grain = 2 AND r.status != 'reversed'
    GROUP BY r.currency HAVING sum(r.conversions) > 0 ORDER BY r.currency`);
}
