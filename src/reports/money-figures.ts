import type { Role } from "./scope-sql";

/** Sums of one currency, as read from SQL (minor units). */
export interface MoneyRow {
  currency: string; conversions: number; sales: number; commission: number; fee: number; payout: number;
  pending: number; approved: number; paid: number;
}

/**
 * What each role may see of one currency's money (minor units). Admin: the whole
 * split. Brand: its sales and spend (payouts + fee on its own conversions, what it
 * owes), never the split. Publisher: its earnings by status, nothing of the
 * brand's commission or the network fee.
 */
export type MoneyFigures =
  | { role: "admin"; currency: string; sales: number; commission: number; fee: number; payout: number }
  | { role: "brand"; currency: string; sales: number; spend: number }
  | { role: "publisher"; currency: string; earnings: number; pending: number; approved: number; paid: number };

export function visibleMoney(role: Role, r: MoneyRow): MoneyFigures {
  switch (role) {
    case "admin": return { role, currency: r.currency, sales: r.sales, commission: r.commission, fee: r.fee, payout: r.payout };
    case "brand": return { role, currency: r.currency, sales: r.sales, spend: r.payout + r.fee };
    case "publisher": return { role, currency: r.currency, earnings: r.payout, pending: r.pending, approved: r.approved, paid: r.paid };
  }
}

/** The SQL select list that produces a MoneyRow (reversed conversions are excluded by the caller's WHERE). */
export const MONEY_COLUMNS = `v.currency AS currency, count(*) AS conversions,
  coalesce(sum(v.program_value_minor), 0) AS sales, coalesce(sum(v.commission_minor), 0) AS commission,
  coalesce(sum(v.network_fee_minor), 0) AS fee, coalesce(sum(v.publisher_payout_minor), 0) AS payout,
  coalesce(sum(CASE WHEN v.status = 'pending' THEN v.publisher_payout_minor ELSE 0 END), 0) AS pending,
  coalesce(sum(CASE WHEN v.status = 'approved' THEN v.publisher_payout_minor ELSE 0 END), 0) AS approved,
  coalesce(sum(CASE WHEN v.status = 'paid' THEN v.publisher_payout_minor ELSE 0 END), 0) AS paid`;
