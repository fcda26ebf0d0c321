import { and, asc, eq, lte } from "drizzle-orm";
import type { Transporter } from "nodemailer";
import type { AppContext } from "../context";
import { mailAttempts, mailOutbox } from "../db/schema";
import { uuidv7 } from "../shared/ids";
import { invoicePdf } from "../settlement/pdf/invoice-pdf";
import { statementPdf } from "../settlement/pdf/statement-pdf";

/** Retry after these delays (ms); after the last one the mail is dead (still listed, never lost silently). */
export const MAIL_BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000];
/** A claimed mail is invisible to other senders for this long. */
const CLAIM_MS = 5 * 60_000;

const transports = new Map<string, Transporter>();
async function transport(url: string): Promise<Transporter> {
  let t = transports.get(url);
  if (!t) {
    const nodemailer = await import("nodemailer");
    transports.set(url, t = nodemailer.createTransport(url));
  }
  return t;
}

/**
 * The mail-outbox job: claims due mails with a conditional update (so two
 * senders never send one twice), renders the attachment, sends it over
 * SMTP_URL, and logs every attempt. Failures retry with backoff.
 */
export async function deliverMail(ctx: AppContext, limit = 20): Promise<{ done: number; alreadyDone: number; failures: number }> {
  const url = ctx.config.SMTP_URL;
  if (!url) return { done: 0, alreadyDone: 0, failures: 0 };
  const now = ctx.clock.now();
  const due = await ctx.db.select().from(mailOutbox).where(and(eq(mailOutbox.status, "pending"), lte(mailOutbox.nextAttemptAt, now)))
    .orderBy(asc(mailOutbox.nextAttemptAt)).limit(limit);
  let done = 0, failures = 0;
  for (const m of due) {
    const claimed = await ctx.db.update(mailOutbox).set({ nextAttemptAt: now + CLAIM_MS })
      .where(and(eq(mailOutbox.id, m.id), eq(mailOutbox.status, "pending"), eq(mailOutbox.nextAttemptAt, m.nextAttemptAt))).returning({ id: mailOutbox.id });
    if (claimed.length === 0) continue;
    const started = performance.now();
    let error: string | null = null;
    try {
      const doc = m.kind === "invoice" ? await invoicePdf(ctx, m.refId) : await statementPdf(ctx, m.refId);
      await (await transport(url)).sendMail({
        from: ctx.config.MAIL_FROM, to: m.to, subject: m.subject, text: m.body,
        attachments: [{ filename: doc.filename, content: Buffer.from(doc.bytes), contentType: "application/pdf" }],
      });
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
    }
    const attempts = m.attempts + 1;
    const at = ctx.clock.now();
    await ctx.db.batch([
      ctx.db.insert(mailAttempts).values({ id: uuidv7(at), mailId: m.id, at, ok: error === null, error, durationMs: Math.round(performance.now() - started) }),
      error === null
        ? ctx.db.update(mailOutbox).set({ status: "sent", attempts, sentAt: at, lastError: null }).where(eq(mailOutbox.id, m.id))
        : ctx.db.update(mailOutbox).set({
          attempts, lastError: error, status: attempts > MAIL_BACKOFF_MS.length ? "dead" : "pending",
          nextAttemptAt: at + (MAIL_BACKOFF_MS[attempts - 1] ?? 0),
        }).where(eq(mailOutbox.id, m.id)),
    ]);
    error === null ? done++ : failures++;
  }
  return { done, alreadyDone: 0, failures };
}
