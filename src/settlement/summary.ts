import type { settlements } from "../db/schema";
import { formatMinor } from "../shared/money";
import { iso } from "../shared/time";
import type { ComputedInvoice, ComputedPayout } from "./compute";

export interface CurrencyTotals {
  currency: string;
  conversions: number;
  gross_minor: number;
  publisher_payouts_minor: number;
  network_fee_minor: number;
  adjustments_minor: number;
  invoices: number;
  invoiced_minor: number;
  invoiced: string;
  payouts: Record<"scheduled" | "carried" | "on_hold", { count: number; amount_minor: number }>;
}
export interface SettlementSummary {
  settlement_id: string;
  period: string;
  timezone: string;
  period_start: string;
  period_end: string;
  closed_at: string;
  audit_hash: string;
  conversions_settled: number;
  adjustments_settled: number;
  /** Never added across currencies: one entry per currency. */
  currencies: CurrencyTotals[];
}

/** What a close reports (API, CLI, console); stored with the close so a rerun answers the same. */
export function buildSummary(
  s: typeof settlements.$inferSelect, hash: string, payouts: ComputedPayout[], invoices: ComputedInvoice[], claimed: { conversions: number; adjustments: number },
): SettlementSummary {
  const by = new Map<string, CurrencyTotals>();
  const get = (currency: string) => {
    let t = by.get(currency);
    if (!t) by.set(currency, t = {
      currency, conversions: 0, gross_minor: 0, publisher_payouts_minor: 0, network_fee_minor: 0, adjustments_minor: 0, invoices: 0, invoiced_minor: 0, invoiced: "",
      payouts: { scheduled: { count: 0, amount_minor: 0 }, carried: { count: 0, amount_minor: 0 }, on_hold: { count: 0, amount_minor: 0 } },
    });
    return t;
  };
  for (const i of invoices) {
    const t = get(i.currency);
    t.conversions += i.conversions; t.gross_minor += i.grossMinor; t.publisher_payouts_minor += i.payoutsMinor; t.network_fee_minor += i.feeMinor;
    t.adjustments_minor += i.adjustmentsMinor; t.invoices++; t.invoiced_minor += i.totalMinor;
  }
  for (const p of payouts) {
    const b = get(p.currency).payouts[p.status];
    b.count++; b.amount_minor += p.amountMinor;
  }
  for (const t of by.values()) t.invoiced = formatMinor(t.invoiced_minor, t.currency);
  return {
    settlement_id: s.id, period: s.period, timezone: s.timezone, period_start: iso(s.periodStart)!, period_end: iso(s.periodEnd)!, closed_at: iso(s.closedAt)!,
    audit_hash: hash, conversions_settled: claimed.conversions, adjustments_settled: claimed.adjustments,
    currencies: [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}
