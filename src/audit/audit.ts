import type { InStatement } from "@libsql/client";
import type { Actor } from "../auth/authenticate";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { auditLog } from "../db/schema";
import { uuidv7 } from "../shared/ids";
import { insertRowWhen, type RowGuard } from "../db/insert-sql";
import type { UnitStatement } from "../db/set-writes";

export interface AuditEntry {
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
  data?: unknown;
  at: number;
}

export function auditValues(e: AuditEntry): typeof auditLog.$inferInsert {
  return {
    id: uuidv7(e.at), at: e.at, actorType: e.actor.type, actorId: e.actor.id, action: e.action,
    entityType: e.entityType, entityId: e.entityId, fromStatus: e.fromStatus ?? null, toStatus: e.toStatus ?? null,
    reason: e.reason ?? null, data: e.data === undefined ? null : JSON.stringify(e.data),
  };
}

/**
 * An audit insert that only happens if the statement just before it (in the
 * same batch/transaction) changed a row: lets a conditional insert/update and
 * its audit row commit together in one round trip, or not at all.
 */
const AUDIT_IF_CHANGED = `INSERT INTO audit_log (id, at, actor_type, actor_id, action, entity_type, entity_id, from_status, to_status, reason, data)
  SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() = 1`;

/**
 * The audit row of a new row, written only when `when` holds (its insert won); may be written as a set.
 * Insert-or-nothing on its id, so a unit written again after a commit whose answer was lost adds nothing.
 */
export function auditWhen(e: AuditEntry, when: RowGuard): UnitStatement {
  return insertRowWhen(auditLog, auditValues(e), { key: "id", when, onConflictDoNothing: true });
}

export function auditIfChanged(e: AuditEntry): InStatement {
  const v = auditValues(e);
  return { sql: AUDIT_IF_CHANGED, args: [v.id, v.at, v.actorType, v.actorId ?? null, v.action, v.entityType, v.entityId, v.fromStatus ?? null, v.toStatus ?? null, v.reason ?? null, v.data ?? null] };
}

/**
 * The same conditional audit row as a drizzle batch item: put it right after
 * the conditional statement (insert-or-nothing, update ... where) in one
 * `db.batch`, so the change and its audit row commit together or not at all —
 * the one way a configuration change is audited (never a second, separate
 * insert that a crash could separate from its change).
 */
export function auditWhenChanged(db: Db, e: AuditEntry) {
  const v = auditValues(e);
  return db.run(sql`INSERT INTO audit_log (id, at, actor_type, actor_id, action, entity_type, entity_id, from_status, to_status, reason, data)
    SELECT ${v.id}, ${v.at}, ${v.actorType}, ${v.actorId ?? null}, ${v.action}, ${v.entityType}, ${v.entityId}, ${v.fromStatus ?? null}, ${v.toStatus ?? null}, ${v.reason ?? null}, ${v.data ?? null}
    WHERE changes() = 1`);
}
