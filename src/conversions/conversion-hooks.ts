import { is, sql, SQL } from "drizzle-orm";
import type { AppContext } from "../context";
import type { RowGuard } from "../db/insert-sql";
import type { UnitStatement } from "../db/set-writes";
import { stmt } from "../db/write-queue";
import type { ConversionClick } from "./find-click";
import type { ConversionRow } from "./serialize";

/** A committed-together change to a conversion that other modules react to in the same transaction. */
export interface ConversionChange {
  type: "created" | "approved" | "reversed";
  /** The row as it is after the change. */
  conversion: ConversionRow;
  /**
   * On `created`, the click it was attributed to (the ref code lives there); null on
   * transitions: nothing written then needs it (the outbox reads sub-ids at send time).
   */
  click: ConversionClick | null;
  at: number;
  /** A `created` change that is a late attribution (the click reached the database after the conversion). */
  late?: boolean;
  /**
   * SQL that is true only when the change really committed in this batch
   * (the insert was not a duplicate, the conditional update won). Writers put
   * it in their INSERT ... SELECT ... WHERE so they happen with it or not at all.
   */
  guard: SQL;
  /** On a `created` change (not a late one): the same guard as a RowGuard, so rows can be written as a set. */
  rowGuard?: RowGuard;
}

/**
 * A module that writes its own rows in the same transaction as a conversion
 * change: the referral ledger, the publisher-postback outbox. Registered in
 * boot.ts; this keeps recordConversion the one path without it knowing them.
 */
export type ConversionHook = (ctx: AppContext, change: ConversionChange) => Promise<(SQL | UnitStatement)[]> | (SQL | UnitStatement)[];

/** True once the conversion with this (fresh) id is stored: its insert won. As a RowGuard, for rows that may be written as a set. */
export function createdRowGuard(id: string): RowGuard {
  return { condition: (ref) => `EXISTS (SELECT 1 FROM conversions WHERE id = ${ref})`, value: id };
}

/** A RowGuard as a drizzle SQL fragment, its value bound as a parameter. */
export function guardSql(g: RowGuard): SQL {
  const [before, after] = g.condition("\u0000").split("\u0000");
  return sql`${sql.raw(before!)}${g.value}${sql.raw(after!)}`;
}

export function transitionGuard(row: ConversionRow): SQL {
  return sql`EXISTS (SELECT 1 FROM conversions WHERE id = ${row.id} AND status = ${row.status} AND updated_at = ${row.updatedAt})`;
}

/** Every hook's rows for this change, as statements for its unit. */
export async function collectWrites(ctx: AppContext, change: ConversionChange): Promise<UnitStatement[]> {
  const out: UnitStatement[] = [];
  for (const w of ctx.conversionHooks) for (const s of await w(ctx, change)) out.push(is(s, SQL) ? stmt(s) : s);
  return out;
}
