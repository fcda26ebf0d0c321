import { and, eq } from "drizzle-orm";
import { attribute } from "../attribution/attribute";
import type { Actor } from "../auth/authenticate";
import { computeCommission } from "../commissions/compute-commission";
import type { AppContext } from "../context";
import { conversions, programs } from "../db/schema";
import { auditWhen } from "../audit/audit";
import { Forbidden, NotFound, Validation } from "../shared/errors";
import { uuidv7 } from "../shared/ids";
import { parseMoneyToMinor } from "../shared/money";
import { moneyField } from "../shared/validators";
import { insertRowWhen, type RowGuard } from "../db/insert-sql";
import type { UnitStatement } from "../db/set-writes";
import { commissionTerms } from "../smartlinks/flat-commission";
import { findClick } from "./find-click";
import { collectWrites, createdRowGuard, guardSql } from "./conversion-hooks";
import { resolveOrderValue } from "./order-value";
import type { ConversionRow } from "./serialize";

export interface ConversionInput {
  programId: string;
  brandOrderRef: string;
  orderValue: string | number;
  orderCurrency: string;
  /** The click id as sent (cookie / landing URL value); may be absent or bogus. */
  clickRef: string | null;
  isTest: boolean;
  /** "postback" or a provider name. */
  source: string;
  /** Commission the sending platform computed, in the order currency. */
  platformCommission?: string | number | null;
  /** When the conversion happened, if the sender says; defaults to now. */
  occurredAt?: number;
  /** When set, the program must belong to this brand (403 otherwise). */
  requireBrandId?: string;
  /**
   * Rows to commit in the same unit as a new conversion (its inbox row), each
   * written only when `guard` holds (the insert was not a duplicate).
   */
  alsoWhenCreated?: (row: ConversionRow, guard: RowGuard) => UnitStatement[];
}

export interface RecordResult { status: "created" | "duplicate"; conversion: ConversionRow }

/**
 * A flat commission does not depend on the order value, so an order of 0 (or
 * -0, or less than one minor unit) would be paid in full: it is refused, so the
 * sender learns of it, instead of being stored and paid silently.
 */
export const ZERO_ON_FLAT_CPA = "must be greater than 0: this program pays a flat commission per order, so an order of nothing is refused rather than paid";

/**
 * The one way a conversion is stored (brand postbacks and platform webhooks
 * alike): program -> exact order value -> last-click attribution -> commission
 * split -> insert-or-nothing on (program, order ref, test) + audit row, in one
 * transaction. A duplicate returns the original row untouched.
 */
/** The program through the in-memory cache (admin writes clear it); null when there is none. */
export function cachedProgram(ctx: AppContext, programId: string) {
  return ctx.caches.programs.get(programId, ctx.clock.now(), async () =>
    (await ctx.db.select().from(programs).where(eq(programs.id, programId)))[0] ?? null);
}

export async function recordConversion(ctx: AppContext, actor: Actor, input: ConversionInput): Promise<RecordResult> {
  const now = ctx.clock.now();
  const program = await cachedProgram(ctx, input.programId);
  // A brand cannot tell someone else's program from one that does not exist.
  if (input.requireBrandId && program?.brandId !== input.requireBrandId) throw new Forbidden("program_id is not a program of your brand");
  if (!program) throw new NotFound("Program not found");

  const value = await resolveOrderValue(ctx.db, program.currency, input.orderValue, input.orderCurrency);
  if (program.commissionType === "flat_cpa" && value.programValueMinor === 0) {
    // A re-delivery of an order already on file (a refund may report 0) still reaches its status change.
    const onFile = await findExisting(ctx, input);
    if (onFile) return { status: "duplicate", conversion: onFile };
    throw new Validation({ order_value: [ZERO_ON_FLAT_CPA] });
  }
  const platformCommissionMinor = parsePlatformCommission(input.platformCommission, value.orderCurrency);
  const click = await findClick(ctx, input.clickRef);
  const attribution = attribute({
    sentClickId: input.clickRef, click, programId: program.id,
    cookieWindowDays: program.cookieWindowDays, now: input.occurredAt ?? now, receivedAt: now,
  });
  const terms = await commissionTerms(ctx, program, click, attribution);
  const split = computeCommission(terms, value.programValueMinor, attribution.publisherId !== null);

  const row: ConversionRow = {
    id: uuidv7(now), programId: program.id, brandId: program.brandId, brandOrderRef: input.brandOrderRef,
    orderValueMinor: value.orderValueMinor, orderCurrency: value.orderCurrency, programValueMinor: value.programValueMinor,
    currency: program.currency, fxRate: value.fxRate, sentClickRef: input.clickRef, clickId: attribution.clickId,
    publisherId: attribution.publisherId, attributionReason: attribution.reason, ...split, platformCommissionMinor,
    platformCommissionCurrency: platformCommissionMinor === null ? null : value.orderCurrency,
    status: "pending", source: input.source, isTest: input.isTest, reversalReason: null,
    createdAt: now, updatedAt: now, approvedAt: null, reversedAt: null, settlementId: null,
  };
  // Every row below is written only if the conversion insert won (a duplicate writes nothing), and
  // each may be written as a set with other postbacks' (set-writes.ts).
  const won = createdRowGuard(row.id);
  const sideWrites = await collectWrites(ctx, {
    type: "created", conversion: row, click: attribution.clickId ? click : null, at: now, guard: guardSql(won), rowGuard: won,
  });
  const [inserted] = await ctx.writes.run([
    insertRowWhen(conversions, row, { key: "id", onConflictDoNothing: true }),
    auditWhen({
      actor, at: now, action: "conversion.created", entityType: "conversion", entityId: row.id, toStatus: "pending",
      data: { commission_minor: split.commissionMinor, network_fee_minor: split.networkFeeMinor, publisher_payout_minor: split.publisherPayoutMinor, currency: row.currency, attribution: attribution.reason },
    }, won),
    ...sideWrites,
    ...(input.alsoWhenCreated?.(row, won) ?? []),
  ]);
  if (inserted!.rowsAffected === 0) {
    // Lost a race with an identical request: the unique index decided; report the winner.
    const winner = await findExisting(ctx, input);
    if (!winner) throw new Error("conversion insert conflicted but no row was found");
    return { status: "duplicate", conversion: winner };
  }
  ctx.events.publish({
    type: "conversion.created", conversionId: row.id, programId: row.programId, brandId: row.brandId,
    publisherId: row.publisherId, isTest: row.isTest,
  });
  ctx.changes.pokeSoon(); // live pages here hear of it within POKE_DELAY_MS
  return { status: "created", conversion: row };
}

async function findExisting(ctx: AppContext, input: ConversionInput): Promise<ConversionRow | undefined> {
  const [row] = await ctx.db.select().from(conversions).where(and(
    eq(conversions.programId, input.programId),
    eq(conversions.brandOrderRef, input.brandOrderRef),
    eq(conversions.isTest, input.isTest),
  ));
  return row;
}

function parsePlatformCommission(v: string | number | null | undefined, currency: string): number | null {
  if (v === null || v === undefined || v === "") return null;
  return moneyField("commission", () => parseMoneyToMinor(v, currency));
}
