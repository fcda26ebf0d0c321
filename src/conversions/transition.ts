import { and, eq, gte } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { conversions } from "../db/schema";
import { auditIfChanged } from "../audit/audit";
import { Conflict, NotFound } from "../shared/errors";
import { stmt } from "../db/write-queue";
import { collectWrites, transitionGuard } from "./conversion-hooks";
import type { ConversionRow } from "./serialize";

type Status = ConversionRow["status"];

export interface Transition {
  id: string;
  to: "approved" | "reversed";
  from: Status[];
  reason?: string | null;
  /** Only rows created at or after this time may move (the reversal window). */
  createdSince?: number;
  /** Restrict to one brand's conversions (brand callers). */
  brandId?: string;
  /** Restrict to test (or live) conversions: a test key never touches live rows. */
  isTest?: boolean;
}

export interface TransitionResult { changed: boolean; conversion: ConversionRow }

/**
 * A money-state change as one conditional UPDATE (`where status in from`) plus
 * its audit row, committed together. Concurrent callers cannot both win; a
 * repeat of a change already made is a no-op success.
 */
export async function transitionConversion(ctx: AppContext, actor: Actor, t: Transition, attempt = 0): Promise<TransitionResult> {
  const now = ctx.clock.now();
  const current = await load(ctx, t);
  if (current.status === t.to) return { changed: false, conversion: current };
  if (!t.from.includes(current.status)) throw new Conflict(`Cannot ${verb(t.to)} a ${current.status} conversion`);
  if (t.createdSince !== undefined && current.createdAt < t.createdSince) {
    throw new Conflict("The reversal window (30 days from when the conversion was recorded) has passed");
  }
  const set = t.to === "approved"
    ? { status: t.to, approvedAt: now, updatedAt: now }
    : { status: t.to, reversedAt: now, reversalReason: t.reason ?? null, updatedAt: now };
  // Compare-and-set on the status we read, so the audit's from_status is the truth.
  const where = and(
    eq(conversions.id, t.id), eq(conversions.status, current.status),
    t.createdSince !== undefined ? gte(conversions.createdAt, t.createdSince) : undefined,
  );
  const after: ConversionRow = { ...current, ...set };
  const sideWrites = await collectWrites(ctx, {
    type: t.to, conversion: after, click: null, at: now, guard: transitionGuard(after),
  });
  const [updated] = await ctx.writes.run([
    stmt(ctx.db.update(conversions).set(set).where(where)),
    auditIfChanged({
      actor, at: now, action: `conversion.${t.to}`, entityType: "conversion", entityId: t.id,
      fromStatus: current.status, toStatus: t.to, reason: t.reason ?? null,
      data: { publisher_payout_minor: current.publisherPayoutMinor, commission_minor: current.commissionMinor, currency: current.currency },
    }),
    ...sideWrites,
  ]);
  if (updated!.rowsAffected === 0) {
    // Someone else moved it between our read and write: answer from the row as it is now.
    const after = await load(ctx, t);
    if (after.status === t.to) return { changed: false, conversion: after };
    if (attempt < 2 && t.from.includes(after.status)) return transitionConversion(ctx, actor, t, attempt + 1);
    throw new Conflict(`Cannot ${verb(t.to)} a ${after.status} conversion`);
  }
  const row = after;
  ctx.events.publish({
    type: t.to === "approved" ? "conversion.approved" : "conversion.reversed",
    conversionId: row.id, programId: row.programId, brandId: row.brandId, publisherId: row.publisherId, isTest: row.isTest,
  });
  ctx.changes.pokeSoon(); // live pages here hear of it within POKE_DELAY_MS
  return { changed: true, conversion: row };
}

async function load(ctx: AppContext, t: Transition): Promise<ConversionRow> {
  const [row] = await ctx.db.select().from(conversions).where(and(
    eq(conversions.id, t.id), t.brandId ? eq(conversions.brandId, t.brandId) : undefined,
    t.isTest !== undefined ? eq(conversions.isTest, t.isTest) : undefined,
  ));
  if (!row) throw new NotFound("Conversion not found");
  return row;
}

const verb = (to: "approved" | "reversed") => (to === "approved" ? "approve" : "reverse");
