import { inArray } from "drizzle-orm";
import type { AppContext } from "../context";
import { clicks } from "../db/schema";
import type { ConversionRow } from "./serialize";

export interface RowClick { id: string; sub1: string | null; sub2: string | null; sub3: string | null; sub4: string | null; sub5: string | null }

/**
 * The sub-ids of the credited clicks of conversions the caller already got
 * from a scoped read (a credited click is its publisher's own): one primary-key
 * lookup for the page.
 */
export async function subIdsOf(ctx: AppContext, rows: ConversionRow[]): Promise<Map<string, RowClick>> {
  const ids = [...new Set(rows.map((r) => r.clickId).filter((v): v is string => v !== null))];
  if (ids.length === 0) return new Map();
  const found = await ctx.db.select({ id: clicks.id, sub1: clicks.sub1, sub2: clicks.sub2, sub3: clicks.sub3, sub4: clicks.sub4, sub5: clicks.sub5 })
    .from(clicks).where(inArray(clicks.id, ids));
  return new Map(found.map((c) => [c.id, c]));
}
