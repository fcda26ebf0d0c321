import type { InStatement } from "@libsql/client";
import type { AppContext } from "../context";
import { mailOutbox } from "../db/schema";
import { uuidv7 } from "../shared/ids";
import { insertRows } from "../settlement/sql";

export interface MailToQueue { kind: "invoice" | "statement"; refId: string; to: string | null | undefined; subject: string; body: string }

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
