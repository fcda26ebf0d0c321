import { and, desc, eq, gte, lt } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "../context";
import { inbox } from "../db/schema";
import { insertRow } from "../db/insert-sql";
import { NotFound } from "../shared/errors";
import { uuidv7 } from "../shared/ids";
import { iso } from "../shared/time";
import { isoTime } from "../shared/validators";
import { hashIp } from "../tracking/ip-hash";
import { DAY_MS } from "../shared/clock";
import { countPostback } from "../ops/metrics";
import { ADAPTERS } from "../providers";

export type Verdict = "accepted" | "duplicate" | "updated" | "rejected";

/**
 * Headers and query parameters whose values look like credentials are never
 * stored. Signatures (HMAC outputs, useless without the key) are kept so a
 * replay can verify them again.
 */
const SIGNATURE_HEADER = /signature|hmac/i;
const SECRET_NAME = /secret|token|passw|api[-_]?key|^key$|auth|cookie|session|credential/i;
export const REDACTED = "[redacted]";

export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    const n = name.toLowerCase();
    if (n === "authorization" && /^basic\s/i.test(value)) {
      // Keep the Basic user (it identifies the integration), drop the password.
      try {
        const user = atob(value.replace(/^basic\s+/i, "")).split(":")[0] ?? "";
        out[n] = `Basic user=${user} password=${REDACTED}`;
      } catch { out[n] = REDACTED; }
    } else {
      out[n] = SECRET_NAME.test(n) && !SIGNATURE_HEADER.test(n) ? REDACTED : value;
    }
  });
  return out;
}

export function redactUrl(url: URL): string {
  const params = new URLSearchParams(url.search);
  for (const k of [...params.keys()]) if (SECRET_NAME.test(k)) params.set(k, REDACTED);
  const q = params.toString();
  return url.pathname + (q ? `?${q}` : "");
}

export interface InboxRecord {
  provider: string;
  integrationId: string | null;
  request: { method: string; url: URL; headers: Headers; body: Uint8Array; peerIp: string | null };
  verdict: Verdict;
  statusCode: number;
  reason: string;
  conversionId: string | null;
  replayOf?: string | null;
}

/** Keeps one intake request with its verdict and reason in words. */
export async function recordInbox(ctx: AppContext, r: InboxRecord): Promise<string> {
  const now = ctx.clock.now();
  const id = uuidv7(now);
  // The provider comes from the URL: only known names become a metric label.
  countPostback(r.provider === "postback" || Object.hasOwn(ADAPTERS, r.provider) ? r.provider : "other", r.verdict);
  await ctx.writes.run([insertRow(inbox, {
    id, receivedAt: now, provider: r.provider.slice(0, 40), integrationId: r.integrationId, method: r.request.method,
    url: redactUrl(r.request.url).slice(0, 4096), headers: JSON.stringify(redactHeaders(r.request.headers)),
    bodyB64: Buffer.from(r.request.body).toString("base64"), peerIp: hashIp(ctx.ipHashSecret, r.request.peerIp),
    verdict: r.verdict, statusCode: r.statusCode, reason: r.reason.slice(0, 2000), conversionId: r.conversionId, replayOf: r.replayOf ?? null,
  })]);
  return id;
}

export const listInboxQuery = z.strictObject({
  provider: z.string().max(40).optional(),
  verdict: z.enum(["accepted", "duplicate", "updated", "rejected"]).optional(),
  integration_id: z.string().max(64).optional(),
  since: isoTime.optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function listInbox(ctx: AppContext, q: z.infer<typeof listInboxQuery>) {
  const rows = await ctx.db.select().from(inbox).where(and(
    q.provider ? eq(inbox.provider, q.provider) : undefined,
    q.verdict ? eq(inbox.verdict, q.verdict) : undefined,
    q.integration_id ? eq(inbox.integrationId, q.integration_id) : undefined,
    q.since !== undefined ? gte(inbox.receivedAt, q.since) : undefined,
    q.cursor ? lt(inbox.id, q.cursor) : undefined,
  )).orderBy(desc(inbox.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { data: page.map(serializeInbox), next_cursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

export async function getInboxRow(ctx: AppContext, inboxId: string) {
  const [row] = await ctx.db.select().from(inbox).where(eq(inbox.id, inboxId));
  if (!row) throw new NotFound("Inbox entry not found");
  return row;
}

export function serializeInbox(r: typeof inbox.$inferSelect) {
  const body = Buffer.from(r.bodyB64, "base64");
  return {
    id: r.id, received_at: iso(r.receivedAt), provider: r.provider, integration_id: r.integrationId, method: r.method, url: r.url,
    headers: JSON.parse(r.headers), body: body.toString("utf8"), body_bytes: body.length, verdict: r.verdict, status_code: r.statusCode,
    reason: r.reason, conversion_id: r.conversionId, replay_of: r.replayOf,
  };
}

/** Retention: drop inbox rows older than INBOX_RETENTION_DAYS. Safe to re-run. */
export async function pruneInbox(ctx: AppContext) {
  const cutoff = ctx.clock.now() - ctx.config.INBOX_RETENTION_DAYS * DAY_MS;
  const deleted = await ctx.db.delete(inbox).where(lt(inbox.receivedAt, cutoff)).returning({ id: inbox.id });
  return { done: deleted.length, alreadyDone: 0, failures: 0 };
}
