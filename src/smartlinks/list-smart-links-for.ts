import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import { publisherOf } from "../auth/party-scope";
import type { AppContext } from "../context";
import { clicks, conversions, publishers, smartLinks } from "../db/schema";
import type { Attributes } from "./attributes";
import { serializeSmartLink } from "./create-smart-link";

/**
 * Smart links with their clicks and conversions: the network sees every link,
 * a publisher only the links that credit it (and only its live conversions
 * on them). Counts come from the routing decision stored with each click.
 */
export async function listSmartLinksFor(ctx: AppContext, actor: Actor) {
  const publisherId = publisherOf(actor);
  const rows = await ctx.db.select({ l: smartLinks, publisherName: publishers.name }).from(smartLinks)
    .leftJoin(publishers, eq(publishers.id, smartLinks.publisherId))
    .where(publisherId ? eq(smartLinks.publisherId, publisherId) : undefined).orderBy(desc(smartLinks.createdAt));
  if (rows.length === 0) return [];
  const [clickCounts, convCounts] = await Promise.all([
    ctx.db.select({ id: clicks.smartLinkId, n: sql<number>`count(*)` }).from(clicks)
      .where(and(isNotNull(clicks.smartLinkId), publisherId ? eq(clicks.publisherId, publisherId) : undefined)).groupBy(clicks.smartLinkId),
    ctx.db.select({ id: clicks.smartLinkId, n: sql<number>`count(*)` }).from(conversions).innerJoin(clicks, eq(clicks.id, conversions.clickId))
      .where(and(isNotNull(clicks.smartLinkId), publisherId ? and(eq(conversions.publisherId, publisherId), eq(conversions.isTest, false)) : undefined))
      .groupBy(clicks.smartLinkId),
  ]);
  const clicksOf = new Map(clickCounts.map((r) => [r.id!, Number(r.n)]));
  const convOf = new Map(convCounts.map((r) => [r.id!, Number(r.n)]));
  return rows.map(({ l, publisherName }) => ({
    ...serializeSmartLink(ctx, { ...l, criteria: JSON.parse(l.criteria) as Attributes }),
    publisher_name: publisherName, clicks: clicksOf.get(l.id) ?? 0, conversions: convOf.get(l.id) ?? 0, createdAt: l.createdAt,
  }));
}
