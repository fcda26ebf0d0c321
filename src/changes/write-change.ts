import { sql, type SQL } from "drizzle-orm";
import type { AppContext } from "../context";
import type { ConversionHook } from "../conversions/conversion-hooks";
import { changes } from "../db/schema";
import { insertRowWhen } from "../db/insert-sql";

export interface ChangeInput {
  /** `<entity>.<verb>`: conversion.created, program.updated, brand_key.revoked, ... */
  kind: string;
  entityId: string;
  brandId?: string | null;
  publisherId?: string | null;
  programId?: string | null;
  /** Small JSON detail for live pages; never secrets. */
  payload?: unknown;
}

function changeRow(ctx: Pick<AppContext, "changes">, at: number, c: ChangeInput): typeof changes.$inferInsert {
  return {
    at, kind: c.kind, entityId: c.entityId, brandId: c.brandId ?? null, publisherId: c.publisherId ?? null,
    programId: c.programId ?? null, origin: ctx.changes.origin, payload: c.payload === undefined ? null : JSON.stringify(c.payload),
  };
}

/** A change-feed row to put in the same batch (transaction) as the change it describes. */
export function insertChange(ctx: Pick<AppContext, "db" | "changes">, at: number, c: ChangeInput) {
  return ctx.db.insert(changes).values(changeRow(ctx, at, c));
}

/** The same row as raw SQL that is inserted only when `guard` holds (the change really committed). */
export function guardedChange(ctx: Pick<AppContext, "changes">, at: number, c: ChangeInput, guard: SQL): SQL {
  const payload = c.payload === undefined ? null : JSON.stringify(c.payload);
  return sql`INSERT INTO changes (at, kind, entity_id, brand_id, publisher_id, program_id, origin, payload)
    SELECT ${at}, ${c.kind}, ${c.entityId}, ${c.brandId ?? null}, ${c.publisherId ?? null}, ${c.programId ?? null},
      ${ctx.changes.origin}, ${payload} WHERE ${guard}`;
}

/**
 * Conversion changes join the feed in their own transaction, guarded like the
 * ledger and outbox rows: a duplicate postback or a lost race writes nothing.
 */
export const changeFeedWriter: ConversionHook = (ctx, change) => {
  const c = change.conversion;
  const kind = change.late ? "conversion.attributed" : `conversion.${change.type}`;
  const input: ChangeInput = {
    kind, entityId: c.id, brandId: c.brandId, publisherId: c.publisherId, programId: c.programId,
    payload: {
      status: c.status, is_test: c.isTest, currency: c.currency, order_value_minor: c.programValueMinor,
      commission_minor: c.commissionMinor, publisher_payout_minor: c.publisherPayoutMinor, attribution: c.attributionReason,
    },
  };
  return [change.rowGuard
    ? insertRowWhen(changes, changeRow(ctx, change.at, input), { key: "entityId", when: change.rowGuard })
    : guardedChange(ctx, change.at, input, change.guard)];
};
