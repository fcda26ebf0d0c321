import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { ms } from "./common";
import { brands } from "./brands";

export const programs = sqliteTable("programs", {
  id: text("id").primaryKey(),
  brandId: text("brand_id").notNull().references(() => brands.id),
  name: text("name").notNull(),
  destUrl: text("dest_url").notNull(),
  status: text("status", { enum: ["active", "paused"] }).notNull(),
  commissionType: text("commission_type", { enum: ["flat_cpa", "percentage"] }).notNull(),
  /** flat_cpa: minor units of `currency`; percentage: basis points (750 = 7.5%). */
  commissionValue: integer("commission_value").notNull(),
  currency: text("currency").notNull(),
  cookieWindowDays: integer("cookie_window_days").notNull(),
  networkFeeBps: integer("network_fee_bps").notNull(),
  autoApproveDays: integer("auto_approve_days"),
  /** When true, sub1..sub5 and utm_* from the link are passed on to dest_url. */
  passThroughParams: integer("pass_through_params", { mode: "boolean" }).notNull(),
  /** JSON object of smart-link criteria attributes: {category?, countries?, devices?, <key>: string | string[]}. */
  attributes: text("attributes").notNull().default("{}"),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
}, (t) => [index("programs_brand").on(t.brandId)]);
