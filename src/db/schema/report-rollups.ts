import { sqliteTable, text, integer, uniqueIndex, index } from "drizzle-orm/sqlite-core";

/**
 * Report rollups: clicks and conversion money pre-summed per time bucket, so
 * the overviews never count millions of base rows. Exact by construction:
 * click rows are added in the click writer's transaction (only clicks that
 * were really inserted), conversion rows by triggers on `conversions` (every
 * insert, status/money/attribution change and delete, whatever code path made
 * it); the custom migration backfills both from the base rows.
 *
 * Buckets are UTC hours (grain 1) and days (2): `bucket` = created_at / width.
 * A local-day or local-month range is whole buckets (days in the middle,
 * hours at the edges; src/reports/rollup-ranges.ts) plus, where an edge is
 * off the UTC hour (a running period's current hour, a +05:30 zone's
 * midnight), less than an hour of base rows. Quarter-hour buckets would spare
 * those minutes but cost as many rows as there are clicks. Each fact is kept
 * in three dimensions:
 *   dim 'G': key1 '', key2 program      (the network and brands: totals, per program)
 *   dim 'P': key1 '', key2 publisher    (the network: per publisher; "" = no publisher)
 *   dim 'X': key1 publisher, key2 program (a publisher's own figures)
 * Bot clicks and test conversions are not in the rollups (no report counts them).
 */
export const clickRollups = sqliteTable("click_rollups", {
  dim: text("dim").notNull(),
  key1: text("key1").notNull(),
  grain: integer("grain").notNull(),
  bucket: integer("bucket").notNull(),
  key2: text("key2").notNull(),
  clicks: integer("clicks").notNull(),
}, (t) => [
  // The upsert's conflict target.
  uniqueIndex("click_rollups_key").on(t.dim, t.key1, t.grain, t.bucket, t.key2),
  // Covering: a range read never visits the table.
  index("click_rollups_read").on(t.dim, t.key1, t.grain, t.bucket, t.key2, t.clicks),
]);

/** Live conversions' money per bucket, currency and status (reversed kept: a status change moves money between rows). */
export const conversionRollups = sqliteTable("conversion_rollups", {
  dim: text("dim").notNull(),
  key1: text("key1").notNull(),
  grain: integer("grain").notNull(),
  bucket: integer("bucket").notNull(),
  key2: text("key2").notNull(),
  currency: text("currency").notNull(),
  status: text("status").notNull(),
  conversions: integer("conversions").notNull(),
  /** Sums in minor units of `currency`: program_value, commission, network fee, publisher payout. */
  salesMinor: integer("sales_minor").notNull(),
  commissionMinor: integer("commission_minor").notNull(),
  feeMinor: integer("fee_minor").notNull(),
  payoutMinor: integer("payout_minor").notNull(),
}, (t) => [
  uniqueIndex("conversion_rollups_key").on(t.dim, t.key1, t.grain, t.bucket, t.key2, t.currency, t.status),
  index("conversion_rollups_read").on(t.dim, t.key1, t.grain, t.bucket, t.key2, t.currency, t.status, t.conversions, t.salesMinor, t.commissionMinor, t.feeMinor, t.payoutMinor),
]);
