import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

/**
 * The change feed: one append-only row per change other instances must hear
 * about (conversions created/approved/reversed/attributed; programs, approvals,
 * publishers, brand keys, integrations, admin tokens), written in the same
 * transaction as the change. `seq` orders the feed (AUTOINCREMENT: never reused,
 * even after pruning) and is the SSE event id. Pruned after CHANGES_RETENTION_HOURS.
 */
export const changes = sqliteTable("changes", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  at: ms("at").notNull(),
  /** e.g. conversion.created, program.updated, brand_key.revoked. */
  kind: text("kind").notNull(),
  entityId: text("entity_id").notNull(),
  brandId: text("brand_id"),
  publisherId: text("publisher_id"),
  programId: text("program_id"),
  /** The instance that made the change (it already cleared its own caches). */
  origin: text("origin").notNull(),
  /** JSON detail for live pages (amounts, statuses); never secrets. */
  payload: text("payload"),
}, (t) => [index("changes_at").on(t.at)]);

/**
 * Conversions stored `click_not_found` whose click id looks like a click made
 * moments ago (a UUIDv7 younger than the flush bound): the click may still be
 * in another instance's buffer. The re-attribution job looks again at `due_at`.
 */
export const pendingAttributions = sqliteTable("pending_attributions", {
  conversionId: text("conversion_id").primaryKey(),
  clickId: text("click_id").notNull(),
  dueAt: ms("due_at").notNull(),
}, (t) => [index("pending_attributions_due").on(t.dueAt)]);
