import { sqliteTable, text, integer, uniqueIndex, index } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";
import { ms } from "./common";

/**
 * One row per closed period (YYYY-MM in the network timezone). The unique key
 * on `period` makes a second close impossible: the close inserts this row
 * first (insert-or-nothing) in the same transaction that settles everything.
 */
export const settlements = sqliteTable("settlements", {
  id: text("id").primaryKey(),
  period: text("period").notNull().unique(),
  periodStart: ms("period_start").notNull(),
  /** Exclusive end: conversions recorded before it are in the period. */
  periodEnd: ms("period_end").notNull(),
  timezone: text("timezone").notNull(),
  /**
   * closing: the row and its claims (conversions, adjustments, carried balances) are
   * committed, payouts and invoices not yet; any later run finishes it from the claims.
   */
  status: text("status", { enum: ["closing", "closed"] }).notNull(),
  /** When the claim committed: the close's one timestamp (issue date, audit). */
  closedAt: ms("closed_at").notNull(),
  actorType: text("actor_type").notNull(),
  /** sha256 over the settled conversions, adjustments, payouts and invoices (see audit-hash.ts). */
  auditHash: text("audit_hash"),
  /** The close's summary as JSON: a rerun answers exactly this. */
  summary: text("summary"),
});

/**
 * A money change to a conversion that was already settled (SPEC §7): a reversal
 * after settlement. Written in the reversal's own transaction; picked up by the
 * next close (settlement_id set by a conditional update), never twice.
 */
export const settlementAdjustments = sqliteTable("settlement_adjustments", {
  id: text("id").primaryKey(),
  conversionId: text("conversion_id").notNull(),
  kind: text("kind", { enum: ["reversal"] }).notNull(),
  brandId: text("brand_id").notNull(),
  programId: text("program_id").notNull(),
  publisherId: text("publisher_id"),
  currency: text("currency").notNull(),
  /** Signed amounts (negative for a reversal), minor units of `currency`. */
  grossMinor: integer("gross_minor").notNull(),
  payoutMinor: integer("payout_minor").notNull(),
  feeMinor: integer("fee_minor").notNull(),
  reason: text("reason"),
  createdAt: ms("created_at").notNull(),
  /** The close that took it; null until then. */
  settlementId: text("settlement_id"),
}, (t) => [
  uniqueIndex("settlement_adjustments_once").on(t.conversionId, t.kind),
  index("settlement_adjustments_open").on(t.settlementId, t.createdAt),
]);

export const PAYOUT_STATUSES = ["scheduled", "paid", "failed", "on_hold", "carried"] as const;

/** One payout per publisher per currency per period. */
export const payouts = sqliteTable("payouts", {
  id: text("id").primaryKey(),
  settlementId: text("settlement_id").notNull(),
  period: text("period").notNull(),
  publisherId: text("publisher_id").notNull(),
  currency: text("currency").notNull(),
  conversions: integer("conversions").notNull(),
  earnedMinor: integer("earned_minor").notNull(),
  adjustmentsMinor: integer("adjustments_minor").notNull(),
  carriedInMinor: integer("carried_in_minor").notNull(),
  amountMinor: integer("amount_minor").notNull(),
  thresholdMinor: integer("threshold_minor").notNull(),
  status: text("status", { enum: PAYOUT_STATUSES }).notNull(),
  /** The method and details at close time (what the payout file uses). */
  method: text("method"),
  methodDetails: text("method_details"),
  dueAt: ms("due_at").notNull(),
  reference: text("reference"),
  failureReason: text("failure_reason"),
  paidAt: ms("paid_at"),
  failedAt: ms("failed_at"),
  /** A carried / on-hold / failed amount is taken into a later close exactly once. */
  carriedInto: text("carried_into"),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
}, (t) => [
  uniqueIndex("payouts_once").on(t.settlementId, t.publisherId, t.currency),
  index("payouts_period_status").on(t.period, t.status),
  index("payouts_publisher").on(t.publisherId, t.currency),
]);

/** What a payout is made of: a line per program, per adjustment, and the carried balance. */
export const payoutLines = sqliteTable("payout_lines", {
  id: text("id").primaryKey(),
  payoutId: text("payout_id").notNull(),
  kind: text("kind", { enum: ["program", "adjustment", "carried"] }).notNull(),
  programId: text("program_id"),
  description: text("description").notNull(),
  conversions: integer("conversions").notNull(),
  amountMinor: integer("amount_minor").notNull(),
}, (t) => [index("payout_lines_payout").on(t.payoutId)]);

export const INVOICE_STATUSES = ["issued", "paid", "void"] as const;

/**
 * One invoice per brand per currency per period. Numbers are gapless per
 * period (LC-2026-11-0001): `seq` is unique per period and taken inside the
 * writing transaction. A void invoice is never edited: a new number replaces it.
 */
export const invoices = sqliteTable("invoices", {
  id: text("id").primaryKey(),
  settlementId: text("settlement_id").notNull(),
  period: text("period").notNull(),
  seq: integer("seq").notNull(),
  number: text("number").notNull().unique(),
  brandId: text("brand_id").notNull(),
  currency: text("currency").notNull(),
  status: text("status", { enum: INVOICE_STATUSES }).notNull(),
  conversions: integer("conversions").notNull(),
  grossMinor: integer("gross_minor").notNull(),
  payoutsMinor: integer("payouts_minor").notNull(),
  feeMinor: integer("fee_minor").notNull(),
  adjustmentsMinor: integer("adjustments_minor").notNull(),
  totalMinor: integer("total_minor").notNull(),
  /** The brand's billing details as they were when issued (JSON). */
  billTo: text("bill_to").notNull(),
  issuedAt: ms("issued_at").notNull(),
  dueAt: ms("due_at").notNull(),
  paidAt: ms("paid_at"),
  paymentReference: text("payment_reference"),
  voidedAt: ms("voided_at"),
  voidReason: text("void_reason"),
  replacesId: text("replaces_id"),
  createdAt: ms("created_at").notNull(),
}, (t) => [
  uniqueIndex("invoices_period_seq").on(t.period, t.seq),
  // At most one live (issued or paid) invoice per brand, currency and close.
  uniqueIndex("invoices_live_once").on(t.settlementId, t.brandId, t.currency).where(sql`status <> 'void'`),
  index("invoices_brand").on(t.brandId, t.period),
]);

export const invoiceLines = sqliteTable("invoice_lines", {
  id: text("id").primaryKey(),
  invoiceId: text("invoice_id").notNull(),
  position: integer("position").notNull(),
  kind: text("kind", { enum: ["program", "adjustment"] }).notNull(),
  programId: text("program_id"),
  description: text("description").notNull(),
  conversions: integer("conversions").notNull(),
  grossMinor: integer("gross_minor").notNull(),
  payoutsMinor: integer("payouts_minor").notNull(),
  feeMinor: integer("fee_minor").notNull(),
  amountMinor: integer("amount_minor").notNull(),
}, (t) => [index("invoice_lines_invoice").on(t.invoiceId, t.position)]);

/** A brand's billing details for invoices (kept beside the brand, edited by admins). */
export const brandBilling = sqliteTable("brand_billing", {
  brandId: text("brand_id").primaryKey(),
  legalName: text("legal_name").notNull(),
  address: text("address").notNull(),
  taxId: text("tax_id"),
  email: text("email"),
  updatedAt: ms("updated_at").notNull(),
});

/** A publisher's own payout threshold (decimal, applied in each currency); the network default otherwise. */
export const publisherThresholds = sqliteTable("publisher_thresholds", {
  publisherId: text("publisher_id").primaryKey(),
  threshold: text("threshold").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

/** Scheduler leases: of several instances, the holder of a live lease runs the job. */
export const jobLeases = sqliteTable("job_leases", {
  job: text("job").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: ms("expires_at").notNull(),
});
