import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { AppContext } from "../context";
import type { ComputedInvoice, ComputedPayout } from "./compute";

/**
 * The close's audit hash: sha256 over every settled conversion (id, currency,
 * party, amounts; in id order, read page by page), every adjustment, and the
 * computed payouts and invoices with their totals. Anyone holding the same
 * rows recomputes the same hex digest.
 */
export async function auditHash(ctx: AppContext, s: { id: string; period: string; start: number; end: number }, payouts: ComputedPayout[], invoices: ComputedInvoice[], page = 5000): Promise<string> {
  const h = createHash("sha256");
  h.update(`lastclick-settlement-v1|${s.period}|${s.start}|${s.end}\n`);
  let after = "";
  for (;;) {
    const rows = await ctx.db.all<{ id: string; currency: string; brand_id: string; publisher_id: string | null; v: number; p: number; f: number }>(sql`
      SELECT id, currency, brand_id, publisher_id, program_value_minor AS v, publisher_payout_minor AS p, network_fee_minor AS f
      FROM conversions WHERE settlement_id = ${s.id} AND id > ${after} ORDER BY id LIMIT ${page}`);
    for (const r of rows) h.update(`c|${r.id}|${r.currency}|${r.brand_id}|${r.publisher_id ?? ""}|${r.v}|${r.p}|${r.f}\n`);
    if (rows.length < page) break;
    after = rows[rows.length - 1]!.id;
  }
  const adjustments = await ctx.db.all<{ conversion_id: string; currency: string; p: number; f: number }>(sql`
    SELECT conversion_id, currency, payout_minor AS p, fee_minor AS f FROM settlement_adjustments WHERE settlement_id = ${s.id} ORDER BY conversion_id`);
  for (const a of adjustments) h.update(`a|${a.conversion_id}|${a.currency}|${a.p}|${a.f}\n`);
  for (const p of payouts) h.update(`p|${p.publisherId}|${p.currency}|${p.earnedMinor}|${p.adjustmentsMinor}|${p.carriedInMinor}|${p.amountMinor}|${p.status}\n`);
  for (const i of invoices) h.update(`i|${i.brandId}|${i.currency}|${i.payoutsMinor}|${i.feeMinor}|${i.adjustmentsMinor}|${i.totalMinor}\n`);
  return h.digest("hex");
}
