import { eq, sql } from "drizzle-orm";
import type { AppContext } from "../context";
import type { ConversionChange } from "../conversions/conversion-hooks";
import { referrers } from "../db/schema";
import { uuidv7 } from "../shared/ids";
import { applyBps } from "../shared/money";

/**
 * Referral credits, written in the conversion's own transaction:
 * created (credited, click carried `ref`) -> `earn` (pending);
 * approved -> `vest` of the earned amount; reversed -> `reverse` of it (negative).
 * One entry per (conversion, kind): re-runs and races insert nothing twice
 * (ON CONFLICT DO NOTHING, not OR IGNORE: a NOT NULL failure must still fail).
 */
export async function referralLedgerWrites(ctx: AppContext, change: ConversionChange) {
  const c = change.conversion;
  if (change.type === "created") {
    const code = change.click?.refCode;
    if (!code || !c.publisherId) return [];
    const [referrer] = await ctx.db.select().from(referrers).where(eq(referrers.code, code));
    if (!referrer) return [];
    const amount = applyBps(c.commissionMinor, referrer.rewardBps);
    return [sql`INSERT INTO ledger_entries (id, referrer_id, conversion_id, kind, amount_minor, currency, is_test, created_at)
      SELECT ${uuidv7(change.at)}, ${referrer.id}, ${c.id}, 'earn', ${amount}, ${c.currency}, ${c.isTest ? 1 : 0}, ${change.at} WHERE ${change.guard}
      ON CONFLICT (conversion_id, kind) DO NOTHING`];
  }
  const kind = change.type === "approved" ? "vest" : "reverse";
  const sign = kind === "vest" ? 1 : -1;
  return [sql`INSERT INTO ledger_entries (id, referrer_id, conversion_id, kind, amount_minor, currency, is_test, created_at)
    SELECT ${uuidv7(change.at)}, referrer_id, conversion_id, ${kind}, ${sign} * amount_minor, currency, is_test, ${change.at}
    FROM ledger_entries WHERE conversion_id = ${c.id} AND kind = 'earn' AND ${change.guard}
    ON CONFLICT (conversion_id, kind) DO NOTHING`];
}
