import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

/**
 * The salt visitor IPs are hashed with, one per UTC day, random and sealed
 * with SECRETS_KEY (kept outside the database). Rows for past days are
 * deleted by the daily rotation: once a day's salt is gone, nobody (the
 * operator included) can link that day's hashes back to an address.
 */
export const ipHashSalts = sqliteTable("ip_hash_salts", {
  /** UTC day, YYYY-MM-DD. */
  day: text("day").primaryKey(),
  saltSealed: text("salt_sealed").notNull(),
  createdAt: ms("created_at").notNull(),
});
