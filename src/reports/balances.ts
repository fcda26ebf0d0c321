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
  return ctx.db.all<Balance>(sql`SELECT v.currency AS currency,
      coalesce(sum(CASE WHEN v.status = 'pending' THEN v.publisher_payout_minor ELSE 0 END), 0) AS pending,
      coalesce(sum(CASE WHEN v.status = 'approved' THEN v.publisher_payout_minor ELSE 0 END), 0) AS approved,
      coalesce(sum(CASE WHEN v.status = 'paid' THEN v.publisher_payout_minor ELSE 0 END), 0) AS paid
    FROM conversions v WHERE v.publisher_id = ${actor.publisherId} AND v.is_test = 0 AND v.status != 'reversed'
    GROUP BY v.currency ORDER BY v.currency`);
}
