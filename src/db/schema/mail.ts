import { sqliteTable, text, integer, uniqueIndex, index } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

/** invoice, statement: PDF attached; reconciliation: the report's CSV attached (ref = the run); invite, approval: text only. */
export const MAIL_KINDS = ["invoice", "statement", "reconciliation", "invite", "approval"] as const;

/**
 * Durable mail outbox (SPEC §9 Mail): written in the transaction that makes
 * the document (a close writes its invoices' and statements' mails), sent by
 * the mail-outbox job with retries. `dedupe_key` makes each mail exist once;
 * the attachment is rendered at send time from (`kind`, `ref_id`).
 */
export const mailOutbox = sqliteTable("mail_outbox", {
  id: text("id").primaryKey(),
  dedupeKey: text("dedupe_key").notNull(),
  kind: text("kind", { enum: MAIL_KINDS }).notNull(),
  refId: text("ref_id").notNull(),
  to: text("to_address").notNull(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  status: text("status", { enum: ["pending", "sent", "dead"] }).notNull(),
  attempts: integer("attempts").notNull(),
  nextAttemptAt: ms("next_attempt_at").notNull(),
  lastError: text("last_error"),
  createdAt: ms("created_at").notNull(),
  sentAt: ms("sent_at"),
}, (t) => [uniqueIndex("mail_outbox_once").on(t.dedupeKey), index("mail_outbox_due").on(t.status, t.nextAttemptAt)]);

/** Every send attempt, kept. */
export const mailAttempts = sqliteTable("mail_attempts", {
  id: text("id").primaryKey(),
  mailId: text("mail_id").notNull(),
  at: ms("at").notNull(),
  ok: integer("ok", { mode: "boolean" }).notNull(),
  error: text("error"),
  durationMs: integer("duration_ms").notNull(),
}, (t) => [index("mail_attempts_mail").on(t.mailId)]);
