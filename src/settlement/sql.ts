import type { InStatement, InValue } from "@libsql/client";
import { getTableColumns, getTableName, type Table } from "drizzle-orm";

/** Multi-row INSERTs (at most `chunk` rows each) built from the drizzle schema: a close writes thousands of rows. */
export function insertRows<T extends Table>(table: T, rows: T["$inferInsert"][], chunk = 200, opts: { onConflictDoNothing?: boolean } = {}): InStatement[] {
  if (rows.length === 0) return [];
  const columns = Object.entries(getTableColumns(table));
  const head = `INSERT INTO "${getTableName(table)}" (${columns.map(([, c]) => `"${c.name}"`).join(", ")}) VALUES `;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const out: InStatement[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const args: InValue[] = [];
    for (const row of part) {
      for (const [key] of columns) {
        const v = (row as Record<string, unknown>)[key];
        args.push(v === undefined ? null : typeof v === "boolean" ? (v ? 1 : 0) : (v as InValue));
      }
    }
    out.push({ sql: head + part.map(() => tuple).join(", ") + (opts.onConflictDoNothing ? " ON CONFLICT DO NOTHING" : ""), args });
  }
  return out;
}
