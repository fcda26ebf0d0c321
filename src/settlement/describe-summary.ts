import { formatMinor } from "../shared/money";
import type { SettlementSummary } from "./summary";

/** The close's summary as the CLI prints it. */
export function describeSummary(s: SettlementSummary, created: boolean): string {
  const out = [
    `Period ${s.period} (${s.timezone}, ${s.period_start} .. ${s.period_end}) ${created ? "closed now" : "was already closed"} at ${s.closed_at}`,
    `Audit hash ${s.audit_hash}`,
    `Settled ${s.conversions_settled} conversion(s) and ${s.adjustments_settled} adjustment(s)`,
  ];
  if (s.currencies.length === 0) out.push("Nothing to invoice or pay.");
  for (const c of s.currencies) {
    const m = (minor: number) => `${formatMinor(minor, c.currency)} ${c.currency}`;
    out.push(`${c.currency}: ${c.conversions} conversion(s), invoiced ${m(c.invoiced_minor)} in ${c.invoices} invoice(s) ` +
      `(payouts ${m(c.publisher_payouts_minor)} + fee ${m(c.network_fee_minor)} + adjustments ${m(c.adjustments_minor)})`);
    out.push(`  payouts: ${c.payouts.scheduled.count} scheduled (${m(c.payouts.scheduled.amount_minor)}), ` +
      `${c.payouts.carried.count} carried forward (${m(c.payouts.carried.amount_minor)}), ${c.payouts.on_hold.count} on hold (${m(c.payouts.on_hold.amount_minor)})`);
  }
  return out.join("\n");
}
