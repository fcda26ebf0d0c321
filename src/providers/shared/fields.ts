/** Picking values out of loosely shaped payloads. */
import type { Fields } from "./body";
import { isObject } from "./body";

/** A scalar as text (numbers were already turned into their source text by parseJsonExact). */
export function scalarText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "bigint") return v.toString();
  return null;
}

/**
 * An unreplaced template macro: "{SubId1}", "{{sub1}}", "%s", "%SUBID%",
 * "[sub1]", "#sub1#". Platforms send these verbatim when a value is missing.
 */
export function isMacro(text: string): boolean {
  const t = text.trim();
  return /^\{+[^{}]*\}+$/.test(t) || /^%s$/i.test(t) || /^%[A-Za-z0-9_]+%$/.test(t) || /^\[[A-Za-z0-9_ .-]+\]$/.test(t)
    || /^#[A-Za-z0-9_]+#$/.test(t) || /^\$[A-Za-z0-9_]+\$$/.test(t);
}

/** Text of a value, null when absent, blank or an unreplaced macro. */
export function present(v: unknown): string | null {
  const t = scalarText(v);
  if (t === null || t.trim() === "" || isMacro(t)) return null;
  return t;
}

/**
 * The object's own value for `key`, never an inherited one: payload names and
 * words come from outside, and `toString` or `constructor` must not find Object's.
 */
export function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** A nested value by path, e.g. at(body, "click", "sub_id"). */
export function at(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = own(cur, key);
  }
  return cur;
}

/**
 * The first of `names` with a usable value ("" and macros do not count); else
 * the first one sent at all, so a macro or a wrong type is reported by name.
 */
export function first(obj: Fields, names: string[]): { name: string; value: unknown } {
  let seen: { name: string; value: unknown } | null = null;
  for (const name of names) {
    const value = own(obj, name);
    if (value === undefined || value === null) continue;
    if (present(value) !== null) return { name, value };
    seen ??= { name, value };
  }
  return seen ?? { name: names[0]!, value: undefined };
}

const normKey = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Case- and punctuation-insensitive lookup ("OrderId" = "order_id" = "orderid"),
 * for postback URLs whose parameter names the operator typed. The first alias
 * with a usable (non-macro) value wins; otherwise the first one seen is returned
 * so the caller can report it as an unreplaced macro.
 */
export function lookup(fields: Fields, aliases: string[]): { name: string; value: unknown } {
  const index = new Map<string, string>();
  for (const key of Object.keys(fields)) if (!index.has(normKey(key))) index.set(normKey(key), key);
  let seen: { name: string; value: unknown } | null = null;
  for (const alias of aliases) {
    const key = index.get(normKey(alias));
    if (key === undefined) continue;
    const hit = { name: key, value: fields[key] };
    if (present(hit.value) !== null) return hit;
    seen ??= hit;
  }
  return seen ?? { name: aliases[0]!, value: undefined };
}

/** A platform boolean: true, 1, "true", "1", "yes", "y", "on". */
export function flag(v: unknown): boolean {
  if (v === true) return true;
  const t = scalarText(v);
  return t !== null && /^(true|1|yes|y|on)$/i.test(t.trim());
}

export function header(headers: Record<string, string>, name: string): string | null {
  const v = own(headers, name.toLowerCase()) as string | undefined;
  return v === undefined || v.trim() === "" ? null : v.trim();
}
