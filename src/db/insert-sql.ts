import type { InStatement, InValue } from "@libsql/client";
import { getTableColumns, getTableName, type Table } from "drizzle-orm";

/**
 * A plain INSERT built once per table from the drizzle schema (column names
 * and order), then filled per row: the money path writes thousands of rows a
 * second and rebuilding the same SQL through the query builder each time
 * costs more than the insert. Booleans become 0/1, undefined becomes NULL.
 */
const cache = new Map<Table, { sql: string; keys: string[] }>();

export function insertRow<T extends Table>(table: T, row: T["$inferInsert"], opts: { onConflictDoNothing?: boolean } = {}): InStatement {
  let shape = cache.get(table);
  if (!shape) {
    const columns = Object.entries(getTableColumns(table));
    shape = {
      keys: columns.map(([key]) => key),
      sql: `INSERT INTO "${getTableName(table)}" (${columns.map(([, c]) => `"${c.name}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    };
    cache.set(table, shape);
  }
  const values = row as Record<string, unknown>;
  const args = shape.keys.map((k) => {
    const v = values[k];
    return v === undefined ? null : typeof v === "boolean" ? (v ? 1 : 0) : (v as InValue);
  });
  // ON CONFLICT DO NOTHING (not OR IGNORE): only a uniqueness clash is skipped; NOT NULL and CHECK still fail.
  return { sql: opts.onConflictDoNothing ? `${shape.sql} ON CONFLICT DO NOTHING` : shape.sql, args };
}
