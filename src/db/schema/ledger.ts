import { sqliteTable, text, integer, uniqueIndex, index } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

/** Anyone holding a referral code carried on a click (`ref`). */
export const referrers = sqliteTable("referrers", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email"),
  code: text("code").notNull().unique(),
  /** Credit earned per conversion, as basis points of its commission. */
  rewardBps: integer("reward_bps").notNull(),
  createdAt: ms("created_at").notNull(),
});

/**
 * Append-only credit ledger. An `earn` (pending) is written with the
 * conversion, a `vest` when it is approved, a `reverse` (negative) when it is
 * reversed. Balances are sums; one entry per (conversion, kind).
 */
export const ledgerEntries = sqliteTable("ledger_entries", {
  id: text("id").primaryKey(),
  referrerId: text("referrer_id").notNull(),
  conversionId: text("conversion_id").notNull(),
  kind: text("kind", { enum: ["earn", "vest", "reverse"] }).notNull(),
  amountMinor: integer("amount_minor").notNull(),
  currency: text("currency").notNull(),
  isTest: integer("is_test", { mode: "boolean" }).notNull(),
  createdAt: ms("created_at").notNull(),
}, (t) => [uniqueIndex("ledger_conversion_kind").on(t.conversionId, t.kind), index("ledger_referrer").on(t.referrerId, t.createdAt)]);
