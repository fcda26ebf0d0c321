import type { InStatement, InValue } from "@libsql/client";
import { getTableColumns, getTableName, type Table } from "drizzle-orm";
import { jsonValue, type SetForm, type UnitStatement } from "./set-writes";

/**
 * A plain INSERT built once per table from the drizzle schema (column names
 * and order), then filled per row: the money path writes thousands of rows a
 * second and rebuilding the same SQL through the query builder each time
 * costs more than the insert. Booleans become 0/1, undefined becomes NULL.
 */
interface Shape {
  keys: string[]; names: string[]; head: string; sql: string;
  /** insertRowWhen's two statements, per key, conflict clause and guard: built once, not per postback. */
  guarded: Map<string, { plain: string; each: string }>;
}
const cache = new Map<Table, Shape>();

function shapeOf(table: Table): Shape {
  let shape = cache.get(table);
  if (!shape) {
    const columns = Object.entries(getTableColumns(table));
    const head = `INSERT INTO "${getTableName(table)}" (${columns.map(([, c]) => `"${c.name}"`).join(", ")})`;
    shape = { keys: columns.map(([key]) => key), names: columns.map(([, c]) => c.name), head, sql: `${head} VALUES (${columns.map(() => "?").join(", ")})`, guarded: new Map() };
    cache.set(table, shape);
  }
  return shape;
}

function argsOf(shape: Shape, row: object): InValue[] {
  const values = row as Record<string, unknown>;
  return shape.keys.map((k) => {
    const v = values[k];
    return v === undefined ? null : typeof v === "boolean" ? (v ? 1 : 0) : (v as InValue);
  });
}

export function insertRow<T extends Table>(table: T, row: T["$inferInsert"], opts: { onConflictDoNothing?: boolean } = {}): InStatement {
  const shape = shapeOf(table);
  // ON CONFLICT DO NOTHING (not OR IGNORE): only a uniqueness clash is skipped; NOT NULL and CHECK still fail.
  return { sql: opts.onConflictDoNothing ? `${shape.sql} ON CONFLICT DO NOTHING` : shape.sql, args: argsOf(shape, row) };
}

/** Rows larger than this (in characters) are written plainly. */
export const SET_ROW_MAX_CHARS = 64 * 1024;

/** A condition on one value, written around a reference to it: `?` in a plain statement, `j.value->>N` in a set. */
export interface RowGuard { condition(ref: string): string; value: string }

/**
 * insertRow as one unit's share of a set write (see set-writes.ts): the plain
 * statement, written only when `when` holds, and the same insert over
 * json_each returning `key`'s column, for the group commit to merge with
 * other units'. Without a set form when a value cannot travel as JSON or
 * the row is big.
 */
export function insertRowWhen<T extends Table>(
  table: T, row: T["$inferInsert"], opts: { key: keyof T["$inferInsert"] & string; when?: RowGuard; onConflictDoNothing?: boolean },
): UnitStatement {
  const shape = shapeOf(table);
  const args = argsOf(shape, row);
  const keyIndex = shape.keys.indexOf(opts.key);
  const variant = `${opts.key} ${opts.onConflictDoNothing ?? false} ${opts.when?.condition("?") ?? ""}`;
  let sqls = shape.guarded.get(variant);
  if (!sqls) {
    const conflict = opts.onConflictDoNothing ? " ON CONFLICT DO NOTHING" : "";
    const ref = (i: number) => `j.value->>${i}`;
    sqls = {
      plain: opts.when ? `${shape.head} SELECT ${args.map(() => "?").join(", ")} WHERE ${opts.when.condition("?")}${conflict}` : `${shape.sql}${conflict}`,
      // WHERE is always there: SQLite needs it before ON CONFLICT in INSERT ... SELECT.
      each: `${shape.head} SELECT ${args.map((_, i) => ref(i)).join(", ")} FROM json_each(?) AS j WHERE ${opts.when ? opts.when.condition(ref(args.length)) : "true"}${conflict} RETURNING "${shape.names[keyIndex]}"`,
    };
    shape.guarded.set(variant, sqls);
  }
  const sql = sqls.plain;
  const plainArgs = opts.when ? [...args, opts.when.value] : args;
  const values = [...args, ...(opts.when ? [opts.when.value] : [])].map(jsonValue);
  // A big row (an inbox row keeps whole request bodies) gains nothing from a set and would be read from JSON once per column.
  const size = values.reduce<number>((n, v) => n + (typeof v === "string" ? v.length : 8), 0);
  if (values.some((v) => v === undefined) || size > SET_ROW_MAX_CHARS) return { sql, args: plainArgs };
  const each: SetForm = {
    sql: sqls.each,
    row: values as (string | number | null)[],
    key: String(args[keyIndex]),
  };
  return { sql, args: plainArgs, each };
}
