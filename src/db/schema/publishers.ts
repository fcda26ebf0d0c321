import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

export const publishers = sqliteTable("publishers", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull(),
  status: text("status", { enum: ["active", "pending", "suspended"] }).notNull(),
  payoutMethod: text("payout_method"),
  /** JSON of method-specific details, validated per method on write. */
  payoutDetails: text("payout_details"),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
});
