import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

export const brands = sqliteTable("brands", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
});
