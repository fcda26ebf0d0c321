import type { invoiceLines, invoices, payoutLines, payouts } from "../db/schema";
import { formatMinor } from "../shared/money";
import { iso } from "../shared/time";

type PayoutRow = typeof payouts.$inferSelect;
type InvoiceRow = typeof invoices.$inferSelect;

const money = (minor: number, currency: string) => formatMinor(minor, currency);

export function serializePayout(p: PayoutRow, lines?: (typeof payoutLines.$inferSelect)[]) {
  return {
    id: p.id, settlement_id: p.settlementId, period: p.period, publisher_id: p.publisherId, currency: p.currency, status: p.status,
    conversions: p.conversions, amount: money(p.amountMinor, p.currency), amount_minor: p.amountMinor,
    earned_minor: p.earnedMinor, adjustments_minor: p.adjustmentsMinor, carried_in_minor: p.carriedInMinor, threshold_minor: p.thresholdMinor,
    method: p.method, due_at: iso(p.dueAt), reference: p.reference, failure_reason: p.failureReason, paid_at: iso(p.paidAt), failed_at: iso(p.failedAt),
    carried_into: p.carriedInto,
    ...(lines && { lines: lines.map((l) => ({ kind: l.kind, program_id: l.programId, description: l.description, conversions: l.conversions, amount_minor: l.amountMinor })) }),
  };
}

export function serializeInvoice(i: InvoiceRow, lines?: (typeof invoiceLines.$inferSelect)[]) {
  return {
    id: i.id, number: i.number, settlement_id: i.settlementId, period: i.period, brand_id: i.brandId, currency: i.currency, status: i.status,
    conversions: i.conversions, gross_minor: i.grossMinor, payouts_minor: i.payoutsMinor, fee_minor: i.feeMinor, adjustments_minor: i.adjustmentsMinor,
    total: money(i.totalMinor, i.currency), total_minor: i.totalMinor, bill_to: JSON.parse(i.billTo),
    issued_at: iso(i.issuedAt), due_at: iso(i.dueAt), paid_at: iso(i.paidAt), payment_reference: i.paymentReference,
    voided_at: iso(i.voidedAt), void_reason: i.voidReason, replaces_id: i.replacesId,
    ...(lines && { lines: lines.map((l) => ({ kind: l.kind, program_id: l.programId, description: l.description, conversions: l.conversions, gross_minor: l.grossMinor, payouts_minor: l.payoutsMinor, fee_minor: l.feeMinor, amount_minor: l.amountMinor })) }),
  };
}
