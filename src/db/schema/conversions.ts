import { sqliteTable, text, integer, uniqueIndex, index } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

export const CONVERSION_STATUSES = ["pending", "approved", "reversed", "paid"] as const;

export const conversions = sqliteTable("conversions", {
  id: text("id").primaryKey(),
  programId: text("program_id").notNull(),
  brandId: text("brand_id").notNull(),
  brandOrderRef: text("brand_order_ref").notNull(),
  /** As sent: amount in minor units of order_currency. */
  orderValueMinor: integer("order_value_minor").notNull(),
  orderCurrency: text("order_currency").notNull(),
  /** Converted into the program currency (equal to the above when no conversion). */
  programValueMinor: integer("program_value_minor").notNull(),
  currency: text("currency").notNull(),
  /** Exact decimal rate used (1 order_currency = fx_rate currency); null when none needed. */
  fxRate: text("fx_rate"),
  /** The click id text the sender supplied, verbatim (may not exist). */
  sentClickRef: text("sent_click_ref"),
  clickId: text("click_id"),
  publisherId: text("publisher_id"),
  attributionReason: text("attribution_reason").notNull(),
  commissionMinor: integer("commission_minor").notNull(),
  networkFeeMinor: integer("network_fee_minor").notNull(),
  publisherPayoutMinor: integer("publisher_payout_minor").notNull(),
  /** Commission as reported by an affiliate platform, kept beside our own, in its own currency. */
  platformCommissionMinor: integer("platform_commission_minor"),
  platformCommissionCurrency: text("platform_commission_currency"),
  status: text("status", { enum: CONVERSION_STATUSES }).notNull(),
  source: text("source").notNull(),
  isTest: integer("is_test", { mode: "boolean" }).notNull(),
  reversalReason: text("reversal_reason"),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
  approvedAt: ms("approved_at"),
  reversedAt: ms("reversed_at"),
  /** The monthly close that settled it (null until then); set once by a conditional update. */
  settlementId: text("settlement_id"),
}, (t) => [
  // Idempotency comes from this constraint, never from check-then-insert.
  uniqueIndex("conversions_program_order").on(t.programId, t.brandOrderRef, t.isTest),
  index("conversions_status_created").on(t.status, t.createdAt),
  index("conversions_brand_created").on(t.brandId, t.createdAt),
  index("conversions_publisher_created").on(t.publisherId, t.createdAt),
  index("conversions_settlement").on(t.settlementId, t.id),
  // The console: the review queue by date, a program's recent order values (outlier signal),
  // and same-IP counts that join a day's conversions to their clicks.
  index("conversions_created").on(t.createdAt),
  index("conversions_program_created").on(t.programId, t.createdAt),
  index("conversions_click").on(t.clickId),
  // A publisher's earnings table sorted by payout or status, or filtered by status or program, at
  // 100k+ conversions per publisher: one index range each instead of reading and sorting them all.
  index("conversions_publisher_payout").on(t.publisherId, t.publisherPayoutMinor, t.id),
  index("conversions_publisher_status").on(t.publisherId, t.status, t.id),
  index("conversions_publisher_program").on(t.publisherId, t.programId, t.createdAt),
]);

/** Admin-maintained exchange rates: 1 base = rate quote (exact decimal string). */
export const fxRates = sqliteTable("fx_rates", {
  base: text("base").notNull(),
  quote: text("quote").notNull(),
  rate: text("rate").notNull(),
  updatedAt: ms("updated_at").notNull(),
}, (t) => [uniqueIndex("fx_rates_pair").on(t.base, t.quote)]);
