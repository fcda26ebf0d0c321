import { and, asc, eq, lte } from "drizzle-orm";
import type { Transporter } from "nodemailer";
import type { AppContext } from "../context";
import { mailAttempts, mailOutbox, reconciliationRuns, userInvites, type MAIL_KINDS } from "../db/schema";
import { reconciliationCsv } from "../settlement/reconcile";
import { uuidv7 } from "../shared/ids";
import { invoicePdf } from "../settlement/pdf/invoice-pdf";
import { statementPdf } from "../settlement/pdf/statement-pdf";

type MailKind = (typeof MAIL_KINDS)[number];

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

/** One-time invite links are secrets: once a mail is sent (or given up) its stored copy keeps no usable link. */
export const redactLinks = (body: string) => body.replace(/\/invite\/[A-Za-z0-9_-]+/g, "/invite/[sent]");

/** Why a queued invite must not be sent any more (its invite was used, replaced by a newer one, or expired), or null. */
async function staleReason(ctx: AppContext, kind: MailKind, refId: string): Promise<string | null> {
  if (kind !== "invite") return null;
  const [inv] = await ctx.db.select().from(userInvites).where(eq(userInvites.id, refId));
  if (!inv) return "not sent: a newer invite link replaced this one";
  if (inv.usedAt !== null) return "not sent: the invite link was already used";
  if (inv.expiresAt <= ctx.clock.now()) return "not sent: the invite link expired";
  return null;
}

/** The attachment, rendered at send time from (kind, ref). */
async function attachmentsOf(ctx: AppContext, kind: MailKind, refId: string) {
  if (kind === "invoice" || kind === "statement") {
    const doc = kind === "invoice" ? await invoicePdf(ctx, refId) : await statementPdf(ctx, refId);
    return [{ filename: doc.filename, content: Buffer.from(doc.bytes), contentType: "application/pdf" }];
  }
  if (kind === "reconciliation") {
    const [run] = await ctx.db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, refId));
    if (!run) throw new Error(`reconciliation run ${refId} not found`);
    return [{ filename: `reconciliation-${run.provider}-${run.period}.csv`, content: Buffer.from(reconciliationCsv(JSON.parse(run.report).rows)), contentType: "text/csv" }];
  }
  return [];
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
    let stale: string | null = null;
    try {
      stale = await staleReason(ctx, m.kind, m.refId);
      if (!stale) {
        await (await transport(url)).sendMail({ from: ctx.config.MAIL_FROM, to: m.to, subject: m.subject, text: m.body, attachments: await attachmentsOf(ctx, m.kind, m.refId) });
      }
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
    }
    const attempts = m.attempts + 1;
    const at = ctx.clock.now();
    if (stale) {
      // Never sent: a newer link replaced it or it was used first. Kept (dead) with the reason, its link redacted.
      await ctx.db.batch([
        ctx.db.insert(mailAttempts).values({ id: uuidv7(at), mailId: m.id, at, ok: false, error: stale, durationMs: Math.round(performance.now() - started) }),
        ctx.db.update(mailOutbox).set({ status: "dead", attempts, lastError: stale, body: redactLinks(m.body) }).where(eq(mailOutbox.id, m.id)),
      ]);
      failures++;
      continue;
    }
    await ctx.db.batch([
      ctx.db.insert(mailAttempts).values({ id: uuidv7(at), mailId: m.id, at, ok: error === null, error, durationMs: Math.round(performance.now() - started) }),
      error === null
        ? ctx.db.update(mailOutbox).set({ status: "sent", attempts, sentAt: at, lastError: null, body: redactLinks(m.body) }).where(eq(mailOutbox.id, m.id))
        : ctx.db.update(mailOutbox).set({
          attempts, lastError: error, status: attempts > MAIL_BACKOFF_MS.length ? "dead" : "pending",
          nextAttemptAt: at + (MAIL_BACKOFF_MS[attempts - 1] ?? 0),
        }).where(eq(mailOutbox.id, m.id)),
    ]);
    error === null ? done++ : failures++;
  }
  return { done, alreadyDone: 0, failures };
}
