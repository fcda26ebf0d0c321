/**
 * The change feed, read side: one poller per instance.
 *
 * Every change other instances must hear about is a row in `changes`, written in
 * the transaction that made it (write-change.ts). Each instance polls
 * `SELECT ... WHERE seq > ? ORDER BY seq LIMIT 500` (the primary key: one cheap
 * read) every POLL_MS, and POKE_DELAY_MS after it commits a change itself
 * (`pokeSoon()`: the commits of that window share one read).
 * For each new row it
 *  - clears the in-memory caches the change makes stale (links, brand keys,
 *    programs, integrations) when another instance made it (ours were cleared
 *    by the writer already); the caches' TTLs stay only as a safety net;
 *  - republishes another instance's conversion change on the local EventBus
 *    (with its seq), so outbound postbacks and anything else listening wake up;
 *  - hands it, in seq order, to every `subscribe()`r whose filter matches.
 *
 * API for live pages (SSE):
 *   const stop = await ctx.changes.subscribe(filter, listener, fromSeq?)
 *     filter:  { kinds?: string[] (exact kinds or prefixes ending in "."),
 *                brandId?, publisherId?, programId? }  (all given must match)
 *     listener(event): event is a FeedEvent { seq, kind, at, entityId, brandId,
 *                publisherId, programId, payload } delivered once each, in seq order;
 *                use `seq` as the SSE `id:`.
 *     fromSeq: the client's Last-Event-ID. Rows after it are replayed from the
 *                table first (then live ones follow, no gap, no repeat). If the
 *                client is too far behind (more than REPLAY_LIMIT matching rows, or
 *                rows pruned), the listener gets one { kind: "feed.reset", seq }
 *                instead: reload the page, then continue from that seq.
 *     stop():    unsubscribe (call on abort).
 *   ctx.changes.lastSeq: the newest seq this instance has seen (the page's start point).
 */
import { and, asc, eq, gt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { changes } from "../db/schema";
import { randomUUID } from "node:crypto";

export interface FeedEvent {
  seq: number;
  kind: string;
  at: number;
  entityId: string;
  brandId: string | null;
  publisherId: string | null;
  programId: string | null;
  payload: unknown;
}

export interface ChangeFilter { kinds?: string[]; brandId?: string; publisherId?: string; programId?: string }
export type FeedListener = (e: FeedEvent) => void;

/** What the poller does with a row besides handing it to subscribers (boot.ts wires caches and the EventBus). */
export type OnChange = (e: FeedEvent, fromOtherInstance: boolean) => void;

export const POLL_MS = 150;
/**
 * A local commit polls this soon, not at once: under load the commits of the
 * window share one read (on a libSQL server each read is a round trip, and
 * one per group commit was a quarter of the server's work per postback),
 * while a live page still hears of a change well within its one second.
 */
export const POKE_DELAY_MS = 20;
export const BATCH = 500;
export const REPLAY_LIMIT = 1000;

interface Sub { filter: ChangeFilter; fn: FeedListener; cursor: number; queue: FeedEvent[] | null }

export class ChangeFeed {
  /** This instance's id, stored with every change it writes. */
  readonly origin = randomUUID(); // not a UUIDv7: that would move the ids' clock to real time under a fake one
  lastSeq = 0;
  /** Reads of the changes table so far (tests and benchmarks look at it). */
  polls = 0;
  /** Subscribers by the one field that must match (keyOf): a row is checked against its candidates only, not all of them. */
  private byKey = new Map<string, Set<Sub>>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private polling: Promise<void> | null = null;
  private again = false;
  private onChange: OnChange[] = [];
  private lastErrorLog = 0;
  private pokeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private db: Db, private opts: { pollMs?: number } = {}) {}

  /** Starts from the newest row: a new instance has nothing stale to clear. */
  async start(): Promise<void> {
    const [row] = await this.db.select({ max: sql<number | null>`max(${changes.seq})` }).from(changes);
    this.lastSeq = Math.max(this.lastSeq, row?.max ?? 0);
    this.timer ??= setInterval(() => this.poke(), this.opts.pollMs ?? POLL_MS);
    (this.timer as { unref?: () => void }).unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.pokeTimer) clearTimeout(this.pokeTimer);
    this.pokeTimer = null;
    while (this.polling) await this.polling;
    this.byKey.clear();
  }

  react(fn: OnChange): void { this.onChange.push(fn); }

  /** Poll within POKE_DELAY_MS (after a local commit); pokes in that window share the read. */
  pokeSoon(): void {
    if (this.pokeTimer || !this.timer) return; // not started (or stopped): nothing to deliver to
    this.pokeTimer = setTimeout(() => { this.pokeTimer = null; void this.poke(); }, POKE_DELAY_MS);
  }

  /** Poll now; concurrent pokes coalesce into one more read. */
  poke(): Promise<void> {
    if (this.polling) { this.again = true; return this.polling; }
    this.polling = (async () => {
      do {
        this.again = false;
        try {
          while ((await this.pollOnce()) === BATCH);
        } catch (e) {
          // Polled every POLL_MS: while the database is away, say so once every 30 s, not 7 times a second.
          if (Date.now() - this.lastErrorLog > 30_000) {
            this.lastErrorLog = Date.now();
            console.error("change feed poll failed; will retry:", e instanceof Error ? e.message : e);
          }
        }
      } while (this.again);
    })().finally(() => { this.polling = null; });
    return this.polling;
  }

  /** Resolves once every row committed before the call has been delivered (tests, shutdown). */
  async caughtUp(): Promise<void> {
    await this.poke();
    if (this.polling) await this.polling;
  }

  private async pollOnce(): Promise<number> {
    this.polls++;
    const rows = await this.db.select().from(changes).where(gt(changes.seq, this.lastSeq)).orderBy(asc(changes.seq)).limit(BATCH);
    for (const row of rows) {
      if (row.seq <= this.lastSeq) continue;
      this.lastSeq = row.seq;
      const e = toEvent(row);
      for (const fn of this.onChange) {
        try { fn(e, row.origin !== this.origin); } catch (err) { console.error("change feed reaction failed:", err); }
      }
      for (const key of ["*", `p:${e.publisherId}`, `b:${e.brandId}`, `g:${e.programId}`]) {
        for (const s of this.byKey.get(key) ?? []) if (matches(s.filter, e)) deliver(s, e);
      }
    }
    return rows.length;
  }

  async subscribe(filter: ChangeFilter, fn: FeedListener, fromSeq?: number): Promise<() => void> {
    const sub: Sub = { filter, fn, cursor: fromSeq ?? this.lastSeq, queue: fromSeq === undefined ? null : [] };
    const key = keyOf(filter);
    const group = this.byKey.get(key) ?? this.byKey.set(key, new Set()).get(key)!;
    group.add(sub);
    const unsubscribe = () => {
      group.delete(sub);
      if (group.size === 0 && this.byKey.get(key) === group) this.byKey.delete(key);
    };
    if (fromSeq === undefined) return unsubscribe;
    try {
      await this.replay(sub, fromSeq);
    } finally {
      const queued = sub.queue ?? [];
      sub.queue = null;
      for (const e of queued) deliver(sub, e);
    }
    return unsubscribe;
  }

  private async replay(sub: Sub, fromSeq: number): Promise<void> {
    const [oldest] = await this.db.select({ min: sql<number | null>`min(${changes.seq})` }).from(changes);
    const rows = await this.db.select().from(changes)
      .where(and(gt(changes.seq, fromSeq), filterSql(sub.filter))).orderBy(asc(changes.seq)).limit(REPLAY_LIMIT + 1);
    const pruned = oldest?.min != null && fromSeq < oldest.min - 1;
    if (pruned || rows.length > REPLAY_LIMIT) {
      const seq = Math.max(this.lastSeq, rows.at(-1)?.seq ?? 0);
      sub.cursor = seq;
      sub.queue = (sub.queue ?? []).filter((e) => e.seq > seq);
      safeCall(sub.fn, { seq, kind: "feed.reset", at: Date.now(), entityId: "", brandId: null, publisherId: null, programId: null, payload: null });
      return;
    }
    const run = sub.queue;
    sub.queue = null; // deliver directly while replaying, then drain what the poller queued meanwhile
    for (const row of rows) deliver(sub, toEvent(row));
    for (const e of run ?? []) deliver(sub, e);
  }
}

function deliver(s: Sub, e: FeedEvent) {
  if (s.queue) { s.queue.push(e); return; }
  if (e.seq <= s.cursor) return; // replayed already, or seen through the other path
  s.cursor = e.seq;
  safeCall(s.fn, e);
}

function safeCall(fn: FeedListener, e: FeedEvent) {
  try { fn(e); } catch (err) { console.error("change feed listener failed:", err); }
}

function toEvent(row: typeof changes.$inferSelect): FeedEvent {
  return {
    seq: row.seq, kind: row.kind, at: row.at, entityId: row.entityId, brandId: row.brandId,
    publisherId: row.publisherId, programId: row.programId, payload: row.payload === null ? null : JSON.parse(row.payload),
  };
}

/** Which index a filter goes in: a publisher, else a brand, else a program it must match; "*" for none. */
function keyOf(f: ChangeFilter): string {
  return f.publisherId !== undefined ? `p:${f.publisherId}` : f.brandId !== undefined ? `b:${f.brandId}` : f.programId !== undefined ? `g:${f.programId}` : "*";
}

function kindMatches(kinds: string[] | undefined, kind: string): boolean {
  return !kinds || kinds.some((k) => (k.endsWith(".") ? kind.startsWith(k) : kind === k));
}

export function matches(f: ChangeFilter, e: FeedEvent): boolean {
  return kindMatches(f.kinds, e.kind)
    && (f.brandId === undefined || e.brandId === f.brandId)
    && (f.publisherId === undefined || e.publisherId === f.publisherId)
    && (f.programId === undefined || e.programId === f.programId);
}

function filterSql(f: ChangeFilter): SQL | undefined {
  const kinds = f.kinds?.map((k) => (k.endsWith(".") ? sql`substr(${changes.kind}, 1, ${k.length}) = ${k}` : eq(changes.kind, k)));
  return and(
    kinds ? or(...kinds) : undefined,
    f.brandId !== undefined ? eq(changes.brandId, f.brandId) : undefined,
    f.publisherId !== undefined ? eq(changes.publisherId, f.publisherId) : undefined,
    f.programId !== undefined ? eq(changes.programId, f.programId) : undefined,
  );
}
