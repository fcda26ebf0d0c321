import type { Client, InValue } from "@libsql/client";

export interface ClickRow {
  id: string; approvalId: string; programId: string; publisherId: string; createdAt: number;
  ipHash: string | null; userAgent: string | null; country: string | null; referrer: string | null;
  utmSource: string | null; utmMedium: string | null; utmCampaign: string | null; utmTerm: string | null; utmContent: string | null;
  sub1: string | null; sub2: string | null; sub3: string | null; sub4: string | null; sub5: string | null;
  refCode: string | null; isBot: boolean; botReason: string | null; via: "link" | "vendor";
}

const COLUMNS = [
  "id", "approval_id", "program_id", "publisher_id", "created_at", "ip_hash", "user_agent", "country", "referrer",
  "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "sub1", "sub2", "sub3", "sub4", "sub5",
  "ref_code", "is_bot", "bot_reason", "via",
] as const;
const ROW_PLACEHOLDERS = `(${COLUMNS.map(() => "?").join(",")})`;

function rowArgs(r: ClickRow): InValue[] {
  return [r.id, r.approvalId, r.programId, r.publisherId, r.createdAt, r.ipHash, r.userAgent, r.country, r.referrer,
    r.utmSource, r.utmMedium, r.utmCampaign, r.utmTerm, r.utmContent, r.sub1, r.sub2, r.sub3, r.sub4, r.sub5,
    r.refCode, r.isBot ? 1 : 0, r.botReason, r.via];
}

/**
 * Clicks are accepted into memory and written as one multi-row INSERT per
 * flush: when `batchSize` rows are waiting, every `flushMs`, and on close().
 * The visitor never waits for the write. A failed flush keeps its rows and
 * retries; past `maxQueued` rows, add() makes the caller wait for a flush
 * (back-pressure) rather than drop anything it has accepted.
 */
export class ClickBuffer {
  private queue: ClickRow[] = [];
  /** Rows accepted but not yet committed, by id: attribution can see them. */
  private pending = new Map<string, ClickRow>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;
  stored = 0;
  failures = 0;

  constructor(
    private client: Client,
    private opts: { flushMs: number; batchSize: number; maxQueued?: number; onError?: (e: unknown) => void },
  ) {}

  /** Accepts a click. Returns a promise only when back-pressure applies. */
  add(row: ClickRow): void | Promise<void> {
    if (this.closed) throw new Error("click buffer is closed");
    this.queue.push(row);
    this.pending.set(row.id, row);
    if (this.queue.length >= this.opts.batchSize) this.kick();
    else if (!this.timer) this.timer = setTimeout(() => { this.timer = null; this.kick(); }, this.opts.flushMs);
    if (this.queue.length > (this.opts.maxQueued ?? 100_000)) return this.flush();
  }

  private kick() { this.flush().catch(() => { /* retried by the timer; reported via onError */ }); }

  get(id: string): ClickRow | undefined { return this.pending.get(id); }
  get size() { return this.queue.length; }

  /** Writes everything queued so far; resolves once it is committed. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.queue.length === 0) return;
    this.flushing = this.writeOnce().finally(() => { this.flushing = null; });
    await this.flushing;
  }

  private async writeOnce() {
    const batch = this.queue.splice(0, this.opts.batchSize);
    try {
      await this.client.execute({
        sql: `INSERT INTO clicks (${COLUMNS.join(",")}) VALUES ${batch.map(() => ROW_PLACEHOLDERS).join(",")} ON CONFLICT(id) DO NOTHING`,
        args: batch.flatMap(rowArgs),
      });
      for (const r of batch) this.pending.delete(r.id);
      this.stored += batch.length;
    } catch (e) {
      this.failures++;
      this.queue.unshift(...batch);
      this.opts.onError?.(e);
      if (!this.closed && !this.timer) this.timer = setTimeout(() => { this.timer = null; this.kick(); }, 250);
      throw e;
    }
    if (this.queue.length > 0 && !this.timer) this.timer = setTimeout(() => { this.timer = null; this.kick(); }, 0);
  }

  /** Graceful stop: refuse new clicks and write every accepted one. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    for (let attempt = 0; this.queue.length > 0 && attempt < 20; attempt++) {
      try { await this.flush(); } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
  }
}
