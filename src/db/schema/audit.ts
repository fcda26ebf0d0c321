import { sqliteTable, text, index } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

/**
 * Append-only audit trail of money-state changes (who, when, what, why).
 * UPDATE and DELETE are refused by triggers in the migration.
 */
export const auditLog = sqliteTable("audit_log", {
  id: text("id").primaryKey(),
  at: ms("at").notNull(),
  actorType: text("actor_type", { enum: ["admin", "brand", "publisher", "integration", "system"] }).notNull(),
  actorId: text("actor_id"),
  action: text("action").notNull(),
  entityType: text("entity_type").notNull(),
  entityId: text("entity_id").notNull(),
  fromStatus: text("from_status"),
  toStatus: text("to_status"),
  reason: text("reason"),
  /** JSON detail: amounts, fields changed. */
  data: text("data"),
}, (t) => [index("audit_entity").on(t.entityType, t.entityId)]);
