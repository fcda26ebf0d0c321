import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { approvals, programs, publishers, vendorLinks } from "../db/schema";
import { DAY_MS } from "../shared/clock";
import { canonicalHttpUrl } from "../shared/validators";

export interface ResolvedLink {
  /** "" (with publisherId "") for a smart link that credits no publisher. */
  approvalId: string;
  programId: string;
  publisherId: string;
  /** Canonical form (canonicalHttpUrl), whatever an older version stored. */
  destUrl: string;
  cookieMaxAgeSeconds: number;
  passThroughParams: boolean;
  /** null when the link may redirect; otherwise why not. */
  inactive: null | "program_paused" | "approval_inactive" | "destination_invalid";
}

type Entry = { link: ResolvedLink | null; expires: number };

/**
 * In-memory map of link keys (slugs, vendor keys) -> resolved link. Admin
 * writes call `invalidate()`; a short TTL bounds staleness when several
 * instances share one database. Misses are cached too so a flood of unknown
 * slugs does not become a flood of queries.
 */
export class LinkResolver {
  private cache = new Map<string, Entry>();
  private listeners: (() => void)[] = [];
  constructor(private db: Db, private ttlMs = 30_000, private maxEntries = 100_000) {}

  invalidate() { this.cache.clear(); for (const f of this.listeners) f(); }
  /** Other routing caches built on the same rows (smart links) drop with this one. */
  onInvalidate(f: () => void) { this.listeners.push(f); }

  /** The cached answer for a slug while fresh, else undefined (then ask bySlug): lets the redirect skip a promise. */
  peekSlug(slug: string, now: number): ResolvedLink | null | undefined {
    const hit = this.cache.get(`s:${slug}`);
    return hit && hit.expires > now ? hit.link : undefined;
  }

  async bySlug(slug: string, now: number): Promise<ResolvedLink | null> {
    return this.cached(`s:${slug}`, now, () => this.load(eq(approvals.slug, slug)));
  }

  async byVendorKey(key: string, now: number): Promise<ResolvedLink | null> {
    return this.cached(`v:${key}`, now, async () => {
      const [row] = await this.db.select({ approvalId: vendorLinks.approvalId }).from(vendorLinks).where(eq(vendorLinks.key, key));
      return row ? this.load(eq(approvals.id, row.approvalId)) : null;
    });
  }

  private async cached(key: string, now: number, load: () => Promise<ResolvedLink | null>) {
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) return hit.link;
    const link = await load();
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(key, { link, expires: now + this.ttlMs });
    return link;
  }

  private async load(where: ReturnType<typeof eq>): Promise<ResolvedLink | null> {
    const [row] = await this.db
      .select({
        approvalId: approvals.id, approvalStatus: approvals.status, programId: programs.id,
        publisherId: approvals.publisherId, destUrl: programs.destUrl, programStatus: programs.status,
        windowDays: programs.cookieWindowDays, passThrough: programs.passThroughParams, publisherStatus: publishers.status,
      })
      .from(approvals)
      .innerJoin(programs, eq(programs.id, approvals.programId))
      .innerJoin(publishers, eq(publishers.id, approvals.publisherId))
      .where(where);
    if (!row) return null;
    // Rows stored before destinations were canonicalised on write: redirect to the canonical form, or refuse.
    const dest = canonicalHttpUrl(row.destUrl);
    if ("problem" in dest) console.warn(`program ${row.programId}: dest_url ${dest.problem}; its links answer 502 until it is changed`);
    return {
      approvalId: row.approvalId,
      programId: row.programId,
      publisherId: row.publisherId,
      destUrl: "url" in dest ? dest.url : row.destUrl,
      cookieMaxAgeSeconds: (row.windowDays * DAY_MS) / 1000,
      passThroughParams: row.passThrough,
      inactive: row.programStatus !== "active" ? "program_paused"
        : row.approvalStatus !== "approved" || row.publisherStatus !== "active" ? "approval_inactive"
        : "problem" in dest ? "destination_invalid" : null,
    };
  }
}
