import { and, desc, eq, gte, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { conversions, CONVERSION_STATUSES } from "../db/schema";
import { BadRequest } from "../shared/errors";
import { isoTime } from "../shared/validators";
import { conversionScope } from "./scope";
import type { ConversionRow } from "./serialize";

export const listConversionsQuery = z.strictObject({
  status: z.enum(CONVERSION_STATUSES).optional(),
  program_id: z.string().max(64).optional(),
  publisher_id: z.string().max(64).optional(),
  test: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListConversionsQuery = z.infer<typeof listConversionsQuery>;

/** Opaque cursor: the (created_at, id) of the last row served, newest first. */
function encodeCursor(r: ConversionRow): string {
  return Buffer.from(`${r.createdAt}|${r.id}`).toString("base64url");
}
function decodeCursor(c: string): { at: number; id: string } {
  const [at, id] = Buffer.from(c, "base64url").toString().split("|");
  if (!at || !id || !/^\d+$/.test(at)) throw new BadRequest("Invalid cursor");
  return { at: Number(at), id };
}

/** A page of conversions, newest first: only the rows the actor may see (scope.ts). */
export async function listConversions({ ctx, actor, query: q }: { ctx: AppContext; actor: Actor; query: ListConversionsQuery }) {
  const scope = conversionScope(actor);
  const conds: (SQL | undefined)[] = [
    scope.brandId ? eq(conversions.brandId, scope.brandId) : undefined,
    scope.publisherId ? eq(conversions.publisherId, scope.publisherId) : undefined,
    scope.isTest !== undefined ? eq(conversions.isTest, scope.isTest) : undefined,
    q.status ? eq(conversions.status, q.status) : undefined,
    q.program_id ? eq(conversions.programId, q.program_id) : undefined,
    q.publisher_id ? eq(conversions.publisherId, q.publisher_id) : undefined,
    q.test !== undefined ? eq(conversions.isTest, q.test) : undefined,
    q.since !== undefined ? gte(conversions.createdAt, q.since) : undefined,
    q.until !== undefined ? lt(conversions.createdAt, q.until) : undefined,
  ];
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    conds.push(or(lt(conversions.createdAt, c.at), and(eq(conversions.createdAt, c.at), lt(conversions.id, c.id))));
  }
  const rows = await ctx.db.select().from(conversions).where(and(...conds))
    .orderBy(desc(conversions.createdAt), desc(conversions.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { rows: page, nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null };
}

/** One conversion if the actor may see it, else undefined (the caller answers 404: no hint that it exists). */
export async function getConversion({ ctx, actor, id }: { ctx: AppContext; actor: Actor; id: string }) {
  const scope = conversionScope(actor);
  const [row] = await ctx.db.select().from(conversions).where(and(
    eq(conversions.id, id), scope.brandId ? eq(conversions.brandId, scope.brandId) : undefined,
    scope.publisherId ? eq(conversions.publisherId, scope.publisherId) : undefined,
    scope.isTest !== undefined ? eq(conversions.isTest, scope.isTest) : undefined,
  ));
  return row;
}
