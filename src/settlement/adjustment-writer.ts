import { sql } from "drizzle-orm";
import type { AppContext } from "../context";
import type { ConversionChange } from "../conversions/conversion-hooks";
import { uuidv7 } from "../shared/ids";

/**
 * SPEC §7: a reversal after settlement becomes a negative adjustment on the
 * next payout and invoice. Written in the reversal's own transaction, reading
 * settlement_id from the row as committed, so a close racing the reversal
 * either settles nothing of it (reversed first) or leaves exactly one
 * adjustment (settled first). One adjustment per conversion and kind.
 */
export function settlementAdjustmentWrites(_ctx: AppContext, change: ConversionChange) {
  if (change.type !== "reversed") return [];
  const c = change.conversion;
  return [sql`INSERT INTO settlement_adjustments (id, conversion_id, kind, brand_id, program_id, publisher_id, currency, gross_minor, payout_minor, fee_minor, reason, created_at, settlement_id)
    SELECT ${uuidv7(change.at)}, id, 'reversal', brand_id, program_id, publisher_id, currency, -program_value_minor, -publisher_payout_minor, -network_fee_minor,
      'Reversal of ' || brand_order_ref || coalesce(': ' || reversal_reason, ''), ${change.at}, NULL
    FROM conversions WHERE id = ${c.id} AND settlement_id IS NOT NULL AND is_test = 0 AND ${change.guard}
    ON CONFLICT (conversion_id, kind) DO NOTHING`];
}
