import { and, asc, desc, eq, gte, like, lt, or, type SQL } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { conversions, CONVERSION_STATUSES, PROVIDERS } from "../db/schema";
import { conversionScope } from "./scope";
import type { ConversionRow } from "./serialize";

export const CONVERSION_SORTS = ["created_at", "order_value", "commission", "payout", "status"] as const;
export type ConversionSort = (typeof CONVERSION_SORTS)[number];

/** The console's conversion filters (already validated and resolved to instants by the page). */
export interface ConversionSearch {
  status?: (typeof CONVERSION_STATUSES)[number];
  programId?: string;
  publisherId?: string;
  brandId?: string;
  source?: string;
  test?: boolean;
  since?: number;
  until?: number;
  /** An order ref (prefix), or exactly a conversion id or click id. */
  q?: string;
  sort: ConversionSort;
  dir: "asc" | "desc";
  /** 1-based page number. */
  page: number;
  limit: number;
}

const SORT_COLUMN = {
  created_at: conversions.createdAt, order_value: conversions.programValueMinor, commission: conversions.commissionMinor,
  payout: conversions.publisherPayoutMinor, status: conversions.status,
} as const;

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function where(actor: Actor, s: Omit<ConversionSearch, "sort" | "dir" | "page" | "limit">): SQL | undefined {
  const scope = conversionScope(actor);
  return and(
    scope.brandId ? eq(conversions.brandId, scope.brandId) : undefined,
    scope.publisherId ? eq(conversions.publisherId, scope.publisherId) : undefined,
    scope.isTest !== undefined ? eq(conversions.isTest, scope.isTest) : undefined,
    s.status ? eq(conversions.status, s.status) : undefined,
    s.programId ? eq(conversions.programId, s.programId) : undefined,
    s.publisherId ? eq(conversions.publisherId, s.publisherId) : undefined,
    s.brandId ? eq(conversions.brandId, s.brandId) : undefined,
    s.source ? eq(conversions.source, s.source) : undefined,
    s.test !== undefined ? eq(conversions.isTest, s.test) : undefined,
    s.since !== undefined ? gte(conversions.createdAt, s.since) : undefined,
    s.until !== undefined ? lt(conversions.createdAt, s.until) : undefined,
    s.q ? or(
      like(conversions.brandOrderRef, likePrefix(s.q)), eq(conversions.id, s.q.toLowerCase()),
      eq(conversions.clickId, s.q.toLowerCase()), eq(conversions.sentClickRef, s.q),
    ) : undefined,
  );
}

/**
 * A page of the conversions the actor may see (scope.ts decides; a filter can
 * only narrow it), sorted and numbered for the console's tables.
 */
export async function searchConversions({ ctx, actor, search: s }: { ctx: AppContext; actor: Actor; search: ConversionSearch }): Promise<{ rows: ConversionRow[]; hasNext: boolean }> {
  const col = SORT_COLUMN[s.sort];
  const order = s.dir === "asc" ? [asc(col), asc(conversions.id)] : [desc(col), desc(conversions.id)];
  const rows = await ctx.db.select().from(conversions).where(where(actor, s))
    .orderBy(...order).limit(s.limit + 1).offset((s.page - 1) * s.limit);
  return { rows: rows.slice(0, s.limit), hasNext: rows.length > s.limit };
}

/** Every matching row for a CSV export, in pages (bounded: `max` rows). */
export async function* allConversions({ ctx, actor, search, max = 100_000 }: { ctx: AppContext; actor: Actor; search: ConversionSearch; max?: number }) {
  let served = 0;
  for (let page = 1; served < max; page++) {
    const r = await searchConversions({ ctx, actor, search: { ...search, page, limit: 1000 } });
    for (const row of r.rows) { if (served++ < max) yield row; }
    if (!r.hasNext) return;
  }
}

/** Where a conversion can come from: /api/conv or a platform webhook (the source filter's choices). */
export const CONVERSION_SOURCES: readonly string[] = ["postback", ...PROVIDERS];
