/** Reading raw bodies: exact JSON, form bodies, and query + body merged. */
import { checkJsonDepth, JsonTooDeep } from "../../shared/json-depth";
import type { RawRequest } from "../types";

export type Fields = Record<string, unknown>;
export type BodyResult = { ok: true; fields: Fields } | { ok: false; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function bodyText(body: Uint8Array): string | null {
  try { return utf8.decode(body); } catch { return null; }
}

/**
 * JSON.parse with every number replaced by its source text, so "59.00" stays
 * "59.00" and a Shopify order id above 2^53 is not rounded. Uses the reviver's
 * source-text context (Bun/JSC and V8); falls back to String(n) elsewhere.
 * Throws JsonTooDeep past MAX_JSON_DEPTH levels, before anything recursive runs.
 */
export function parseJsonExact(text: string): unknown {
  checkJsonDepth(text);
  const reviver = (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === "number" ? (context?.source ?? String(value)) : value;
  return JSON.parse(text, reviver as (this: unknown, key: string, value: unknown) => unknown);
}

export function isObject(v: unknown): v is Fields {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The body must be a JSON object. */
export function jsonObjectBody(body: Uint8Array): BodyResult {
  const text = bodyText(body);
  if (text === null) return { ok: false, reason: "body is not UTF-8 text" };
  if (text.trim() === "") return { ok: false, reason: "body is empty (a JSON object is required)" };
  let value: unknown;
  try { value = parseJsonExact(text); } catch (e) {
    return { ok: false, reason: e instanceof JsonTooDeep ? `body is ${e.message}` : "body is not valid JSON" };
  }
  if (!isObject(value)) return { ok: false, reason: "body is not a JSON object" };
  return { ok: true, fields: value };
}

function looksLikeJson(req: RawRequest, text: string): boolean {
  const type = req.headers["content-type"] ?? "";
  return type.includes("json") || /^\s*[{[]/.test(text);
}

/**
 * GET-postback platforms (impact, everflow): the query string, overlaid by a
 * JSON or form-urlencoded body when one is sent (body values win).
 */
export function queryAndBody(req: RawRequest): BodyResult {
  const fields: Fields = Object.fromEntries(req.query);
  if (req.body.length === 0) return { ok: true, fields };
  const text = bodyText(req.body);
  if (text === null) return { ok: false, reason: "body is not UTF-8 text" };
  if (text.trim() === "") return { ok: true, fields };
  if (looksLikeJson(req, text)) {
    const json = jsonObjectBody(req.body);
    return json.ok ? { ok: true, fields: { ...fields, ...json.fields } } : json;
  }
  return { ok: true, fields: { ...fields, ...Object.fromEntries(new URLSearchParams(text)) } };
}
