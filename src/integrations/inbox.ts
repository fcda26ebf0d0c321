import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "../context";
import { inbox } from "../db/schema";
import { insertRow, insertRowWhen, type RowGuard } from "../db/insert-sql";
import type { UnitStatement } from "../db/set-writes";
import { stmt } from "../db/write-queue";
import { NotFound } from "../shared/errors";
import { uuidv7 } from "../shared/ids";
import { iso } from "../shared/time";
import { isoTime } from "../shared/validators";
import { dayNumber, hashIp } from "../tracking/ip-hash";
import { DAY_MS } from "../shared/clock";
import type { SampleRow } from "./inbox-flood";
import { redactExcerpt, redactHeaders, redactUrl } from "./inbox-redact";
import { countPostback } from "../ops/metrics";
import { ADAPTERS } from "../providers";

export type Verdict = "accepted" | "duplicate" | "updated" | "rejected";
export { REDACTED, redactHeaders, redactUrl } from "./inbox-redact";

export interface InboxRecord {
  provider: string;
  integrationId: string | null;
  /** peerIp: the socket peer; clientIp: the caller as resolved through trusted proxies (the flood-sampling source). */
  request: { method: string; url: URL; headers: Headers; body: Uint8Array; peerIp: string | null; clientIp?: string | null };
  verdict: Verdict;
  statusCode: number;
  reason: string;
  conversionId: string | null;
  replayOf?: string | null;
  /**
   * False when the request never authenticated (bad or missing credentials,
   * rate limited, refused before authentication): only an excerpt of its body
   * is kept and a flood of them is sampled. Authenticated requests are kept whole.
   */
  authenticated: boolean;
}

type InboxRow = typeof inbox.$inferInsert;

/**
 * The IP hasher for a row written at `now`: the day's salt as held in memory
 * (recordInbox and InboxDraft load it first). Without it no IP is kept at all.
 */
function ipHasher(ctx: AppContext, now: number): (ip: string | null) => string | null {
  const salt = ctx.ipSalts.cached([now]).get(dayNumber(now));
  return (ip) => (salt === undefined ? null : hashIp(salt, ip));
}

function rowOf(ctx: AppContext, r: InboxRecord, id: string, now: number): InboxRow {
  const hash = ipHasher(ctx, now);
  const body = r.authenticated ? r.request.body : redactExcerpt(r.request.body.subarray(0, ctx.config.INBOX_EXCERPT_BYTES));
  return {
    id, receivedAt: now, provider: r.provider.slice(0, 40), integrationId: r.integrationId, method: r.request.method.slice(0, 16),
    url: redactUrl(r.request.url).slice(0, 4096), headers: JSON.stringify(redactHeaders(r.request.headers, hash)).slice(0, 16_384),
    bodyB64: Buffer.from(body).toString("base64"), bodyBytes: r.request.body.length, repeatCount: 1,
    peerIp: hash(r.request.peerIp), verdict: r.verdict, statusCode: r.statusCode, reason: r.reason.slice(0, 2000),
    conversionId: r.conversionId, replayOf: r.replayOf ?? null,
  };
}

/** Keeps one intake request with its verdict and reason in words; returns the row that holds it. */
/** Postbacks by provider and verdict for /metrics; the provider comes from the URL, so only known names are labels. */
function countVerdict(provider: string, verdict: Verdict) {
  countPostback(provider === "postback" || Object.hasOwn(ADAPTERS, provider) ? provider : "other", verdict);
}

export async function recordInbox(ctx: AppContext, r: InboxRecord, id?: string): Promise<string> {
  countVerdict(r.provider, r.verdict); // every request, also those folded into a flood sample
  await ctx.ipSalts.forDay(dayNumber(ctx.clock.now()));
  const now = ctx.clock.now();
  if (r.authenticated) return insertInbox(ctx, rowOf(ctx, r, id ?? uuidv7(now), now));
  const source = r.request.clientIp ?? r.request.peerIp ?? "unknown";
  const seen = ctx.intake.flood.admit(source, r.provider, r.statusCode, now);
  if (seen.kind === "single") return insertInbox(ctx, rowOf(ctx, r, id ?? uuidv7(now), now));
  const sample = seen.row;
  if (sample.id === null) {
    // The first of this minute's flood from this source: it becomes the sample the rest are counted on.
    const row = rowOf(ctx, { ...r, reason: `${r.reason} [sample: further identical rejections from this source this minute are counted on this row]` }, uuidv7(now), now);
    sample.id = row.id;
    sample.written = 1;
    return insertInbox(ctx, row);
  }
  void writeCount(ctx, sample);
  return sample.id;
}

/** Coalesced: one UPDATE in flight per sample row, the last one writes the final count. */
async function writeCount(ctx: AppContext, sample: SampleRow) {
  if (sample.writing) return;
  sample.writing = true;
  try {
    while (sample.written < sample.count) {
      const n = sample.count;
      await ctx.writes.run([stmt(ctx.db.update(inbox).set({ repeatCount: n }).where(eq(inbox.id, sample.id!)))]);
      sample.written = n;
    }
  } catch (e) {
    console.error("inbox flood counter not written:", e instanceof Error ? e.message : e);
  } finally {
    sample.writing = false;
  }
}

async function insertInbox(ctx: AppContext, row: InboxRow): Promise<string> {
  await ctx.writes.run([insertRow(inbox, row)]);
  noteWritten(ctx, row.bodyB64.length + row.headers.length + row.url.length + row.reason.length + 200);
  return row.id;
}

/**
 * The cheap half of the size bound: count what is written and check the
 * table once a sixteenth of INBOX_MAX_MB has gone in (one check at a time,
 * behind the requests).
 */
function noteWritten(ctx: AppContext, bytes: number) {
  const s = ctx.intake;
  s.bytesSinceCheck += bytes;
  if (s.sizeCheck || s.bytesSinceCheck < Math.max(1 << 20, (ctx.config.INBOX_MAX_MB << 20) / 16)) return;
  s.bytesSinceCheck = 0;
  s.sizeCheck = enforceInboxSize(ctx)
    .catch((e) => console.error("inbox size check failed:", e instanceof Error ? e.message : e))
    .finally(() => { s.sizeCheck = null; });
}

/**
 * A request's inbox row, prepared before the request is handled so that the
 * row of an accepted conversion commits in the same unit as the conversion
 * (a kill -9 can never leave one without the other). `whenCreated` stages
 * the row for recordConversion; `finish` writes what is not yet written.
 */
export class InboxDraft {
  readonly id: string;
  private staged: InboxRecord | null = null;
  constructor(private ctx: AppContext, private base: Pick<InboxRecord, "provider" | "request">) {
    this.id = uuidv7(ctx.clock.now());
    // whenCreated builds its row synchronously: have the day's IP salt in memory by then.
    void ctx.ipSalts.forDay(dayNumber(ctx.clock.now())).catch(() => {});
  }

  /** The inbox insert for recordConversion's unit; `guard` is true only when the conversion insert won. */
  whenCreated(fields: Pick<InboxRecord, "integrationId" | "verdict" | "statusCode" | "reason" | "conversionId">, guard: RowGuard): UnitStatement {
    this.staged = { ...this.base, ...fields, authenticated: true };
    // Insert-or-nothing on its id: a unit written again after a commit whose answer was lost adds nothing.
    return insertRowWhen(inbox, rowOf(this.ctx, this.staged, this.id, this.ctx.clock.now()), { key: "id", when: guard, onConflictDoNothing: true });
  }

  async finish(outcome: Omit<InboxRecord, "provider" | "request">): Promise<string> {
    // The staged row carries the new conversion's fresh id: the outcome names it only if that insert won.
    const c = this.staged && this.staged.conversionId === outcome.conversionId ? this.staged : null;
    if (!c) return recordInbox(this.ctx, { ...this.base, ...outcome }, this.id);
    countVerdict(c.provider, outcome.verdict);
    if (c.verdict !== outcome.verdict || c.statusCode !== outcome.statusCode || c.reason !== outcome.reason || c.conversionId !== outcome.conversionId) {
      // Something after the insert changed the answer (a status applied in the same delivery).
      await this.ctx.writes.run([stmt(this.ctx.db.update(inbox).set({
        verdict: outcome.verdict, statusCode: outcome.statusCode, reason: outcome.reason.slice(0, 2000), conversionId: outcome.conversionId,
      }).where(eq(inbox.id, this.id)))]);
    }
    noteWritten(this.ctx, Math.ceil(c.request.body.length / 3) * 4 + 1000); // about what the row takes
    return this.id;
  }
}

/** The draft of the intake request being handled, for the handler that records its conversion. */
const drafts = new WeakMap<Request, InboxDraft>();
export function attachDraft(request: Request, draft: InboxDraft): void { drafts.set(request, draft); }

/** For recordConversion's alsoWhenCreated: this request's inbox row, as withInbox would write it for a new conversion. */
export function inboxRowWithConversion(request: Request) {
  const draft = drafts.get(request);
  if (!draft) return undefined;
  return (row: { id: string; attributionReason: string }, guard: RowGuard) => [draft.whenCreated({
    integrationId: null, verdict: "accepted", statusCode: 200, reason: `recorded (${row.attributionReason})`, conversionId: row.id,
  }, guard)];
}

export const listInboxQuery = z.strictObject({
  provider: z.string().max(40).optional(),
  verdict: z.enum(["accepted", "duplicate", "updated", "rejected"]).optional(),
  integration_id: z.string().max(64).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function listInbox(ctx: AppContext, q: z.infer<typeof listInboxQuery>) {
  const rows = await ctx.db.select().from(inbox).where(and(
    q.provider ? eq(inbox.provider, q.provider) : undefined,
    q.verdict ? eq(inbox.verdict, q.verdict) : undefined,
    q.integration_id ? eq(inbox.integrationId, q.integration_id) : undefined,
    q.since !== undefined ? gte(inbox.receivedAt, q.since) : undefined,
    q.until !== undefined ? lt(inbox.receivedAt, q.until) : undefined,
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
    headers: JSON.parse(r.headers), body: body.toString("utf8"), body_bytes: r.bodyBytes ?? body.length,
    body_excerpt: r.bodyBytes !== null && r.bodyBytes > body.length, repeat_count: r.repeatCount, verdict: r.verdict, status_code: r.statusCode,
    reason: r.reason, conversion_id: r.conversionId, replay_of: r.replayOf,
  };
}

/** Retention: drop inbox rows older than INBOX_RETENTION_DAYS, then the oldest beyond INBOX_MAX_MB. Safe to re-run. */
export async function pruneInbox(ctx: AppContext) {
  const cutoff = ctx.clock.now() - ctx.config.INBOX_RETENTION_DAYS * DAY_MS;
  const deleted = await ctx.db.delete(inbox).where(lt(inbox.receivedAt, cutoff)).returning({ id: inbox.id });
  const overSize = await enforceInboxSize(ctx);
  return { done: deleted.length + overSize, alreadyDone: 0, failures: 0 };
}

/** Roughly what a row takes (the stored text plus a fixed overhead); insertInbox counts the same way. */
const ROW_BYTES_SQL = "length(body_b64) + length(headers) + length(url) + length(reason) + 200";

/** Deletes the oldest rows until what is left fits in INBOX_MAX_MB (the newest are kept). */
export async function enforceInboxSize(ctx: AppContext): Promise<number> {
  const max = ctx.config.INBOX_MAX_MB * 1024 * 1024;
  const [total] = await ctx.db.select({ bytes: sql<number | null>`sum(${sql.raw(ROW_BYTES_SQL)})` }).from(inbox);
  if ((total?.bytes ?? 0) <= max) return 0;
  const r = await ctx.client.execute({
    sql: `DELETE FROM inbox WHERE id IN (SELECT id FROM (SELECT id, sum(${ROW_BYTES_SQL}) OVER (ORDER BY id DESC) AS running FROM inbox) WHERE running > ?)`,
    args: [max],
  });
  return r.rowsAffected;
}
