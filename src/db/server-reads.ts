import type { Client } from "@libsql/client";
import type { ConversionClick } from "../conversions/find-click";

const CLICK_COLUMNS = "id, program_id, publisher_id, created_at, is_bot, ref_code, sub1, sub2, sub3, sub4, sub5, smart_link_id, rubric_version";
/** Ids per query: far below SQLite's 32,766 variables. */
const MAX_IDS = 500;

/**
 * Point reads on the postback path against a libSQL server, coalesced: the
 * click lookups of concurrent postbacks go out as one
 * `SELECT ... WHERE id IN (...)` — one round trip for many postbacks instead
 * of one each. One query is in flight at a time; lookups that arrive
 * meanwhile share the next one (at most one round trip of extra wait, none
 * when idle beyond the current tick). A failed query fails only its own
 * callers. The embedded file has LocalReads (kept-prepared, no round trip).
 */
export class ServerReads {
  private waiting = new Map<string, { resolve(c: ConversionClick | null): void; reject(e: unknown): void }[]>();
  private inFlight = false;
  private scheduled = false;
  /** Queries sent (tests and benchmarks look at it). */
  queries = 0;

  constructor(private client: Client) {}

  click(id: string): Promise<ConversionClick | null> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(id);
      if (list) list.push({ resolve, reject }); else this.waiting.set(id, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule() {
    if (this.inFlight || this.scheduled || this.waiting.size === 0) return;
    this.scheduled = true;
    queueMicrotask(() => { this.scheduled = false; void this.send(); });
  }

  private async send() {
    if (this.inFlight || this.waiting.size === 0) return;
    this.inFlight = true;
    const ids = [...this.waiting.keys()].slice(0, MAX_IDS);
    const callers = ids.map((id) => { const c = this.waiting.get(id)!; this.waiting.delete(id); return [id, c] as const; });
    try {
      this.queries++;
      const rs = await this.client.execute({ sql: `SELECT ${CLICK_COLUMNS} FROM clicks WHERE id IN (${ids.map(() => "?").join(",")})`, args: ids });
      const found = new Map<string, ConversionClick>();
      for (const r of rs.rows) {
        const c = toClick(r as unknown as unknown[]);
        found.set(c.id, c);
      }
      for (const [id, list] of callers) for (const w of list) w.resolve(found.get(id) ?? null);
    } catch (e) {
      for (const [, list] of callers) for (const w of list) w.reject(e);
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }
}

function toClick(r: unknown[]): ConversionClick {
  return {
    id: r[0] as string, programId: r[1] as string, publisherId: r[2] as string, createdAt: Number(r[3]), isBot: Number(r[4]) === 1,
    refCode: r[5] as string | null, sub1: r[6] as string | null, sub2: r[7] as string | null, sub3: r[8] as string | null,
    sub4: r[9] as string | null, sub5: r[10] as string | null,
    smartLinkId: r[11] as string | null, rubricVersion: r[12] === null ? null : Number(r[12]),
  };
}
