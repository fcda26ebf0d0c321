import { sqliteTable, text } from "drizzle-orm/sqlite-core";
/** Small key/value settings persisted by the appliance itself (e.g. demo state). */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});
