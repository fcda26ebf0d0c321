import type { InStatement } from "@libsql/client";
import type { AppContext } from "../context";
import { mailOutbox, type MAIL_KINDS } from "../db/schema";
import { uuidv7 } from "../shared/ids";
import { insertRows } from "../settlement/sql";

export interface MailToQueue { kind: (typeof MAIL_KINDS)[number]; refId: string; to: string | null | undefined; subject: string; body: string }

/**
 * Statements that queue mails in the caller's transaction, once per document
 * (insert-or-nothing on the dedupe key). Without SMTP_URL nothing is queued:
 * every document stays downloadable and nothing fails.
 */
export function queueMails(ctx: AppContext, mails: MailToQueue[], at: number): InStatement[] {
  if (!ctx.config.SMTP_URL) return [];
  const rows = mails.filter((m) => m.to).map((m) => ({
    id: uuidv7(at), dedupeKey: `${m.kind}:${m.refId}`, kind: m.kind, refId: m.refId, to: m.to!, subject: m.subject, body: m.body,
    status: "pending" as const, attempts: 0, nextAttemptAt: at, createdAt: at,
  }));
  return insertRows(mailOutbox, rows, 100, { onConflictDoNothing: true });
}

/** The same as a drizzle statement for callers that batch drizzle queries (zero or one statement). */
export function queueMail(ctx: AppContext, m: MailToQueue, at: number) {
  if (!ctx.config.SMTP_URL || !m.to) return [];
  return [ctx.db.insert(mailOutbox).values({
    id: uuidv7(at), dedupeKey: `${m.kind}:${m.refId}`, kind: m.kind, refId: m.refId, to: m.to, subject: m.subject, body: m.body,
    status: "pending", attempts: 0, nextAttemptAt: at, createdAt: at,
  }).onConflictDoNothing()];
}
