import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import { attribute } from "../attribution/attribute";
import { SYSTEM } from "../auth/authenticate";
import { computeCommission } from "../commissions/compute-commission";
import type { AppContext } from "../context";
import { conversions, pendingAttributions, programs } from "../db/schema";
import { stmt } from "../db/write-queue";
import { auditIfChanged } from "../audit/audit";
import type { JobResult } from "../scheduler/jobs";
import { UUID_RE } from "../shared/ids";
import { findClick } from "./find-click";
import { collectWrites, type ConversionHook } from "./conversion-hooks";
import type { ConversionRow } from "./serialize";

/**
 * Another instance may still hold a click in its write buffer (flushed every
 * CLICK_FLUSH_MS, retried while the database is unreachable) when a postback
 * for it arrives here. A conversion stored `click_not_found` whose click id is
 * a UUIDv7 made at most YOUNG_CLICK_MS before it is queued; the job looks again
 * RECHECK_MS later and keeps looking until GIVE_UP_MS after the conversion.
 */
export const YOUNG_CLICK_MS = 10_000;
export const RECHECK_MS = 2_000;
export const GIVE_UP_MS = 60_000;

/** The ms timestamp in a UUIDv7, or null for any other id. */
export function uuidv7Time(id: string): number | null {
  if (!UUID_RE.test(id) || id[14] !== "7") return null;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** Queues a just-missed click in the conversion's own transaction (guarded like the other writers). */
export const pendingAttributionWriter: ConversionHook = (_ctx, change) => {
  const c = change.conversion;
  if (change.type !== "created" || change.late || c.attributionReason !== "click_not_found" || !c.sentClickRef) return [];
  const clickAt = uuidv7Time(c.sentClickRef);
  // Compared with the conversion's own UUIDv7 time: both ids come from the same kind of monotonic id clock.
  const convAt = uuidv7Time(c.id) ?? change.at;
  if (clickAt === null || clickAt > convAt + 1_000 || convAt - clickAt > YOUNG_CLICK_MS) return [];
  return [sql`INSERT INTO pending_attributions (conversion_id, click_id, due_at)
    SELECT ${c.id}, ${c.sentClickRef.toLowerCase()}, ${change.at + RECHECK_MS} WHERE ${change.guard}
    ON CONFLICT (conversion_id) DO NOTHING`];
};

/** The scheduler job: every due entry is attributed, rescheduled, or dropped. */
export async function reattributeLate(ctx: AppContext): Promise<JobResult> {
  const now = ctx.clock.now();
  const due = await ctx.db.select().from(pendingAttributions).where(lte(pendingAttributions.dueAt, now))
    .orderBy(asc(pendingAttributions.dueAt)).limit(200);
  const result = { done: 0, alreadyDone: 0, skipped: 0, failures: 0 };
  for (const p of due) {
    try {
      const outcome = await reattributeOne(ctx, p.conversionId, p.clickId, now);
      result[outcome === "attributed" ? "done" : outcome === "gone" ? "alreadyDone" : "skipped"]++;
    } catch (e) {
      result.failures++;
      console.error(`late attribution of ${p.conversionId} failed; will retry:`, e instanceof Error ? e.message : e);
    }
  }
  return result;
}

type Outcome = "attributed" | "gone" | "waiting" | "given_up";

async function reattributeOne(ctx: AppContext, conversionId: string, clickId: string, now: number): Promise<Outcome> {
  const dequeue = ctx.db.delete(pendingAttributions).where(eq(pendingAttributions.conversionId, conversionId));
  const [conv] = await ctx.db.select().from(conversions).where(eq(conversions.id, conversionId));
  if (!conv || conv.publisherId !== null || conv.attributionReason !== "click_not_found" || conv.status !== "pending") {
    await dequeue;
    return "gone";
  }
  const click = await findClick(ctx, clickId);
  if (!click) {
    if (now - conv.createdAt >= GIVE_UP_MS) { await dequeue; return "given_up"; }
    await ctx.db.update(pendingAttributions).set({ dueAt: now + RECHECK_MS }).where(eq(pendingAttributions.conversionId, conversionId));
    return "waiting";
  }
  const [program] = await ctx.db.select().from(programs).where(eq(programs.id, conv.programId));
  if (!program) { await dequeue; return "gone"; }
  // The conversion happened when it reached us; judge the click as if it had been found then.
  const attribution = attribute({
    sentClickId: clickId, click, programId: program.id, cookieWindowDays: program.cookieWindowDays,
    now: conv.createdAt, receivedAt: conv.createdAt,
  });
  const split = computeCommission(program, conv.programValueMinor, attribution.publisherId !== null);
  const after: ConversionRow = { ...conv, clickId: attribution.clickId, publisherId: attribution.publisherId, attributionReason: attribution.reason, ...split, updatedAt: now };
  const audit = auditIfChanged({
    actor: SYSTEM, at: now, action: "conversion.attributed", entityType: "conversion", entityId: conv.id,
    fromStatus: conv.status, toStatus: conv.status, reason: "click reached the database after the conversion",
    data: { click_id: clickId, attribution: attribution.reason, publisher_id: attribution.publisherId, publisher_payout_minor: split.publisherPayoutMinor, commission_minor: split.commissionMinor, currency: conv.currency },
  });
  // The audit row exists only if our conditional update won: the other writes hang on it (a concurrent run writes nothing).
  const auditId = (audit as { args: unknown[] }).args[0] as string;
  const won = sql`EXISTS (SELECT 1 FROM audit_log WHERE id = ${auditId})`;
  const sideWrites = attribution.publisherId
    ? await collectWrites(ctx, { type: "created", late: true, conversion: after, click, at: now, guard: won })
    : [];
  const [updated] = await ctx.writes.run([
    // Only a row still unattributed moves: a concurrent run or a manual change wins.
    stmt(ctx.db.update(conversions).set({
      clickId: after.clickId, publisherId: after.publisherId, attributionReason: after.attributionReason,
      commissionMinor: split.commissionMinor, networkFeeMinor: split.networkFeeMinor, publisherPayoutMinor: split.publisherPayoutMinor, updatedAt: now,
    }).where(and(eq(conversions.id, conv.id), isNull(conversions.publisherId), eq(conversions.attributionReason, "click_not_found"), eq(conversions.status, "pending")))),
    audit,
    ...sideWrites,
    stmt(dequeue),
  ]);
  if (updated!.rowsAffected === 0) return "gone";
  if (attribution.publisherId) {
    ctx.events.publish({ type: "conversion.attributed", conversionId: conv.id, programId: conv.programId, brandId: conv.brandId, publisherId: attribution.publisherId, isTest: conv.isTest });
    ctx.changes.pokeSoon();
  }
  return "attributed";
}
