import type { InStatement, InValue } from "@libsql/client";

/**
 * The same write for many units as one statement: `sql` reads the rows from
 * `json_each(?) AS j` (this unit's values as `j.value->>N`) and ends in
 * `RETURNING <column>`, returning `key` once for every row it wrote for this
 * unit. On a libSQL server each statement costs the server far more than a
 * row does (parse, plan, encode: ~0.15 ms against ~0.07 ms per row), so a
 * group commit of twelve postbacks is five statements instead of sixty.
 */
export interface SetForm { sql: string; row: (string | number | null)[]; key: string }

/** A plain statement that may also say how to write it as part of a set. */
export type UnitStatement = InStatement | { sql: string; args: InValue[]; each?: SetForm };

/** The plain statement (what the commit thread and the fallback run). */
export function plain(s: UnitStatement): InStatement {
  return typeof s === "string" || !("each" in s) ? s : { sql: s.sql, args: s.args };
}

function setForm(s: UnitStatement): SetForm | undefined {
  return typeof s === "string" ? undefined : (s as { each?: SetForm }).each;
}

/** A UTF-16 surrogate without its other half: JSON would carry it, SQLite would store invalid UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A value that travels through JSON unchanged: booleans as 0/1; undefined for anything else (the caller then writes plainly). */
export function jsonValue(v: unknown): string | number | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return LONE_SURROGATE.test(v) ? undefined : v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  return undefined;
}

export interface BatchPlan {
  statements: InStatement[];
  /** Units that were written as sets (0 when nothing could be merged). */
  merged: number;
  /** Per unit, rows changed per statement, from the batch's results in order. */
  changes(results: { rowsAffected: number; rows: ArrayLike<ArrayLike<unknown>> }[]): number[][];
}

type Slot = { unit: number } | { units: number[]; keys: Set<string>[] };

/**
 * One batch for a group commit. Units whose statements all have set forms
 * with the same SQL (postbacks creating conversions) are written together:
 * statement k of all of them, then statement k+1. That is safe because such
 * units only create rows of their own (guarded on their own new conversion)
 * and concurrent units have no order between them anyway; every other unit
 * keeps its statements and its place. A unit whose key is already in its set
 * (two units naming one row) is written plainly, so counts stay per unit.
 */
export function planBatch(units: UnitStatement[][]): BatchPlan {
  const slots: Slot[] = [];
  const sets = new Map<string, Extract<Slot, { units: number[] }>>();
  units.forEach((stmts, i) => {
    const forms = stmts.map(setForm);
    if (forms.length === 0 || forms.some((f) => f === undefined)) return void slots.push({ unit: i });
    const signature = forms.map((f) => f!.sql).join("\u0000");
    let set = sets.get(signature);
    if (!set) {
      set = { units: [], keys: forms.map(() => new Set<string>()) };
      sets.set(signature, set);
      slots.push(set);
    }
    if (forms.some((f, k) => set.keys[k]!.has(f!.key))) return void slots.push({ unit: i });
    forms.forEach((f, k) => set.keys[k]!.add(f!.key));
    set.units.push(i);
  });

  const statements: InStatement[] = [];
  let merged = 0;
  const layout: ({ unit: number } | { units: number[] })[] = [];
  for (const slot of slots) {
    if ("unit" in slot || slot.units.length === 1) {
      // A set of one is cheaper as the plain statements.
      const unit = "unit" in slot ? slot.unit : slot.units[0]!;
      layout.push({ unit });
      for (const s of units[unit]!) statements.push(plain(s));
      continue;
    }
    merged += slot.units.length;
    layout.push({ units: slot.units });
    const first = units[slot.units[0]!]!;
    first.forEach((s, k) => statements.push({
      sql: setForm(s)!.sql,
      args: [JSON.stringify(slot.units.map((u) => setForm(units[u]![k]!)!.row))],
    }));
  }

  return {
    statements, merged,
    changes(results) {
      const out: number[][] = new Array(units.length);
      let at = 0;
      for (const slot of layout) {
        if ("unit" in slot) {
          const n = units[slot.unit]!.length;
          out[slot.unit] = results.slice(at, at + n).map((r) => r.rowsAffected);
          at += n;
          continue;
        }
        for (const u of slot.units) out[u] = [];
        const width = units[slot.units[0]!]!.length;
        for (let k = 0; k < width; k++, at++) {
          const written = new Map<string, number>();
          for (const row of Array.from(results[at]!.rows)) {
            const key = String(row[0]);
            written.set(key, (written.get(key) ?? 0) + 1);
          }
          for (const u of slot.units) out[u]!.push(written.get(setForm(units[u]![k]!)!.key) ?? 0);
        }
      }
      return out;
    },
  };
}
