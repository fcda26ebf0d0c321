import { parseMoneyToMinor } from "../shared/money";

/**
 * The settlement math, pure: every input is an argument (aggregates read by
 * the close), nothing is read or written here. Amounts are integer minor
 * units of one currency; a payout or an invoice never mixes currencies, and
 * the functions refuse inputs that would.
 */

export interface ProgramEarnings { programId: string; name: string; conversions: number; payoutMinor: number }
export interface PayoutAdjustment { conversionId: string; programId: string; description: string; payoutMinor: number }

export interface PayoutInput {
  publisherId: string;
  currency: string;
  programs: ProgramEarnings[];
  adjustments: PayoutAdjustment[];
  /** Balance carried from earlier periods (carried, on hold or failed payouts); may be negative. */
  carriedInMinor: number;
  thresholdMinor: number;
  hasValidMethod: boolean;
}

export type PayoutStatus = "scheduled" | "carried" | "on_hold";
export interface PayoutLine { kind: "program" | "adjustment" | "carried"; programId: string | null; description: string; conversions: number; amountMinor: number }
export interface ComputedPayout {
  publisherId: string;
  currency: string;
  conversions: number;
  earnedMinor: number;
  adjustmentsMinor: number;
  carriedInMinor: number;
  amountMinor: number;
  thresholdMinor: number;
  status: PayoutStatus;
  lines: PayoutLine[];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * payout = earnings of settled conversions + adjustments + carried balance.
 * Zero, negative or below the threshold: carried forward (not paid). At or
 * above it: scheduled, or on hold when the publisher has no valid payout method.
 */
export function computePayout(i: PayoutInput): ComputedPayout {
  const lines: PayoutLine[] = [
    ...i.programs.map((p) => ({ kind: "program" as const, programId: p.programId, description: p.name, conversions: p.conversions, amountMinor: p.payoutMinor })),
    ...i.adjustments.map((a) => ({ kind: "adjustment" as const, programId: a.programId, description: a.description, conversions: 0, amountMinor: a.payoutMinor })),
  ];
  if (i.carriedInMinor !== 0) lines.push({ kind: "carried", programId: null, description: "Balance carried from earlier periods", conversions: 0, amountMinor: i.carriedInMinor });
  const earnedMinor = sum(i.programs.map((p) => p.payoutMinor));
  const adjustmentsMinor = sum(i.adjustments.map((a) => a.payoutMinor));
  const amountMinor = sum(lines.map((l) => l.amountMinor));
  const status: PayoutStatus = amountMinor <= 0 || amountMinor < i.thresholdMinor ? "carried" : i.hasValidMethod ? "scheduled" : "on_hold";
  return {
    publisherId: i.publisherId, currency: i.currency, conversions: sum(i.programs.map((p) => p.conversions)),
    earnedMinor, adjustmentsMinor, carriedInMinor: i.carriedInMinor, amountMinor, thresholdMinor: i.thresholdMinor, status, lines,
  };
}

export interface ProgramBilling { programId: string; name: string; conversions: number; grossMinor: number; payoutsMinor: number; feeMinor: number }
export interface InvoiceAdjustment { conversionId: string; programId: string; description: string; grossMinor: number; payoutsMinor: number; feeMinor: number }
export interface InvoiceInput { brandId: string; currency: string; programs: ProgramBilling[]; adjustments: InvoiceAdjustment[] }
export interface InvoiceLine {
  kind: "program" | "adjustment"; programId: string; description: string;
  conversions: number; grossMinor: number; payoutsMinor: number; feeMinor: number; amountMinor: number;
}
export interface ComputedInvoice {
  brandId: string; currency: string; lines: InvoiceLine[];
  conversions: number; grossMinor: number; payoutsMinor: number; feeMinor: number; adjustmentsMinor: number; totalMinor: number;
}

/**
 * The brand owes publisher payouts + network fee of every settled conversion
 * (an unattributed one carries a zero payout, so the fee alone) plus the
 * adjustment lines (negative for reversals after settlement). Totals are sums
 * of the line amounts, so they always equal the stored rows.
 */
export function computeInvoice(i: InvoiceInput): ComputedInvoice {
  const lines: InvoiceLine[] = [
    ...[...i.programs].sort((a, b) => a.name.localeCompare(b.name) || a.programId.localeCompare(b.programId)).map((p) => ({
      kind: "program" as const, programId: p.programId, description: p.name, conversions: p.conversions,
      grossMinor: p.grossMinor, payoutsMinor: p.payoutsMinor, feeMinor: p.feeMinor, amountMinor: p.payoutsMinor + p.feeMinor,
    })),
    ...i.adjustments.map((a) => ({
      kind: "adjustment" as const, programId: a.programId, description: a.description, conversions: 0,
      grossMinor: a.grossMinor, payoutsMinor: a.payoutsMinor, feeMinor: a.feeMinor, amountMinor: a.payoutsMinor + a.feeMinor,
    })),
  ];
  const programLines = lines.filter((l) => l.kind === "program");
  return {
    brandId: i.brandId, currency: i.currency, lines,
    conversions: sum(programLines.map((l) => l.conversions)),
    grossMinor: sum(programLines.map((l) => l.grossMinor)),
    payoutsMinor: sum(programLines.map((l) => l.payoutsMinor)),
    feeMinor: sum(programLines.map((l) => l.feeMinor)),
    adjustmentsMinor: sum(lines.filter((l) => l.kind === "adjustment").map((l) => l.amountMinor)),
    totalMinor: sum(lines.map((l) => l.amountMinor)),
  };
}

/** Groups rows by party and currency: the one place keys are formed, so currencies are never added together. */
export function groupByPartyCurrency<T extends { currency: string }>(rows: T[], party: (r: T) => string): Map<string, { party: string; currency: string; rows: T[] }> {
  const out = new Map<string, { party: string; currency: string; rows: T[] }>();
  for (const r of rows) {
    const key = `${party(r)}\u0000${r.currency}`;
    let g = out.get(key);
    if (!g) out.set(key, g = { party: party(r), currency: r.currency, rows: [] });
    g.rows.push(r);
  }
  return out;
}

/** A threshold set as a decimal ("50.00") in the currency's own minor units: 5000 USD cents, 50 JPY, 50000 KWD fils. */
export function thresholdMinor(threshold: string, currency: string): number {
  return parseMoneyToMinor(threshold, currency);
}
