import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, brands, clicks, deliveryAttempts, inbox, ledgerEntries, outbox, programs, publishers, referrers, smartLinks } from "../db/schema";
import { Forbidden, NotFound } from "../shared/errors";
import { UUID_RE } from "../shared/ids";
import { getConversion } from "./list-conversions";

/**
 * Everything the network knows about one conversion, for the admin's detail
 * page: the row, its click (with the smart-link decision), the inbox request
 * that created it (already redacted when stored), its audit trail, outbound
 * deliveries and referral ledger entries. Admin only: it shows every party's money.
 */
export async function getConversionDetail({ ctx, actor, id }: { ctx: AppContext; actor: Actor; id: string }) {
  if (actor.type !== "admin") throw new Forbidden("A conversion's full detail is for the network");
  const conversion = await getConversion({ ctx, actor, id });
  if (!conversion) throw new NotFound("Conversion not found");
  const clickRef = conversion.clickId ?? (conversion.sentClickRef && UUID_RE.test(conversion.sentClickRef) ? conversion.sentClickRef.toLowerCase() : null);
  const [click] = clickRef ? await ctx.db.select().from(clicks).where(eq(clicks.id, clickRef)) : [];
  const [[program], [brand], [publisher], smartLink, requests, audit, deliveries, ledger] = await Promise.all([
    ctx.db.select({ id: programs.id, name: programs.name }).from(programs).where(eq(programs.id, conversion.programId)),
    ctx.db.select({ id: brands.id, name: brands.name }).from(brands).where(eq(brands.id, conversion.brandId)),
    conversion.publisherId ? ctx.db.select({ id: publishers.id, name: publishers.name }).from(publishers).where(eq(publishers.id, conversion.publisherId)) : Promise.resolve([]),
    click?.smartLinkId ? ctx.db.select({ id: smartLinks.id, code: smartLinks.code }).from(smartLinks).where(eq(smartLinks.id, click.smartLinkId)).then((r) => r[0] ?? null) : Promise.resolve(null),
    ctx.db.select().from(inbox).where(eq(inbox.conversionId, conversion.id)).orderBy(asc(inbox.receivedAt)).limit(20),
    ctx.db.select().from(auditLog).where(and(eq(auditLog.entityType, "conversion"), eq(auditLog.entityId, conversion.id))).orderBy(asc(auditLog.id)),
    outboundDeliveries(ctx, conversion.id),
    ctx.db.select({ entry: ledgerEntries, referrerName: referrers.name }).from(ledgerEntries)
      .leftJoin(referrers, eq(referrers.id, ledgerEntries.referrerId)).where(eq(ledgerEntries.conversionId, conversion.id)).orderBy(asc(ledgerEntries.createdAt)),
  ]);
  return {
    conversion, click: click ?? null, smartLink, requests, audit, deliveries, ledger,
    program: program ?? null, brand: brand ?? null, publisher: publisher ?? null,
  };
}
export type ConversionDetail = Awaited<ReturnType<typeof getConversionDetail>>;

/** Publisher postback deliveries of this conversion, each with its latest attempt. */
async function outboundDeliveries(ctx: AppContext, conversionId: string) {
  const rows = await ctx.db.select().from(outbox).where(eq(outbox.conversionId, conversionId)).orderBy(asc(outbox.createdAt));
  if (rows.length === 0) return [];
  const attempts = await ctx.db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.outboxId, rows.map((r) => r.id))).orderBy(desc(deliveryAttempts.at));
  return rows.map((r) => ({ ...r, lastAttempt: attempts.find((a) => a.outboxId === r.id) ?? null, attemptCount: attempts.filter((a) => a.outboxId === r.id).length }));
}
