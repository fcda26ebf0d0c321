import { sqliteTable, text, index } from "drizzle-orm/sqlite-core";
import { ms } from "./common";
import { brands } from "./brands";

/** Admin API tokens (lc_admin_...). Only a SHA-256 of the token is stored. */
export const adminTokens = sqliteTable("admin_tokens", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: ms("created_at").notNull(),
  lastUsedAt: ms("last_used_at"),
  revokedAt: ms("revoked_at"),
});

/** Brand API keys (lc_live_... / lc_test_...). Only a SHA-256 of the key is stored. */
export const brandApiKeys = sqliteTable("brand_api_keys", {
  id: text("id").primaryKey(),
  brandId: text("brand_id").notNull().references(() => brands.id),
  mode: text("mode", { enum: ["live", "test"] }).notNull(),
  keyHash: text("key_hash").notNull().unique(),
  /** First characters of the key, so an operator can tell keys apart. */
  prefix: text("prefix").notNull(),
  createdAt: ms("created_at").notNull(),
  lastUsedAt: ms("last_used_at"),
  revokedAt: ms("revoked_at"),
}, (t) => [index("brand_api_keys_brand").on(t.brandId)]);
