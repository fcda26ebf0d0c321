import { z } from "zod";
import { BadRequest, PayloadTooLarge, Validation, type FieldErrors } from "../shared/errors";
import { checkJsonDepth, JsonTooDeep } from "../shared/json-depth";

/**
 * The client went away before sending the whole body (closed the socket,
 * timed out). Nobody is left to answer and nothing was received to keep: it
 * is logged as one line (app.ts onError), never as an unhandled error.
 */
export class ClientDisconnected extends Error {
  constructor(readonly method: string, readonly path: string, readonly received: number, readonly declared: number | null, cause: unknown) {
    super(`client disconnected mid-body: ${method} ${path} after ${received}${declared === null ? "" : ` of ${declared}`} bytes (${cause instanceof Error ? cause.message : String(cause)})`);
  }
}

/**
 * Reads the raw body with a hard cap (413 before reading when Content-Length
 * says so, and while streaming when it lies). Raw bytes are what signatures
 * are computed over.
 */
export async function readRawBody(request: Request, cap: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > cap) throw new PayloadTooLarge(cap);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch (e) {
      // Only the transport fails a body read (Bun: AbortError "The connection was closed."). The path only: queries can carry tokens.
      throw new ClientDisconnected(request.method, new URL(request.url).pathname, total, Number.isFinite(declared) ? declared : null, e);
    }
    const { done, value } = chunk;
    if (done) break;
    total += value.byteLength;
    if (total > cap) { await reader.cancel(); throw new PayloadTooLarge(cap); }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.byteLength; }
  return out;
}

/**
 * A JSON number whose float value would not print back as the sender's text
 * (1.0049999999999999, 99.00, 1e2) is kept as that text, so money fields are
 * parsed exactly from what was sent; plain numbers stay numbers.
 */
const keepExactNumbers = (_key: string, value: unknown, context?: { source?: string }) =>
  typeof value === "number" && context?.source !== undefined && context.source !== String(value) ? context.source : value;

export function parseJson(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) throw new BadRequest("Request body is empty; send JSON");
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    checkJsonDepth(text);
    return JSON.parse(text, keepExactNumbers as (this: unknown, key: string, value: unknown) => unknown);
  } catch (e) {
    if (e instanceof JsonTooDeep) throw new BadRequest(`Request body is ${e.message}`);
    throw new BadRequest("Request body is not valid UTF-8 JSON");
  }
}

/** Keys are paths of the sender's JSON (a record's "constructor"): grouped in a Map, never looked up on an object. */
export function zodFields(error: z.ZodError): FieldErrors {
  const fields = new Map<string, string[]>();
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    const missing = issue.code === "invalid_type" && /received undefined/.test(issue.message);
    fields.set(key, [...(fields.get(key) ?? []), missing ? "is required" : issue.message]);
  }
  return Object.fromEntries(fields);
}

/** Validates with zod; failure -> 422 with field errors. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what = "body"): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new Validation(zodFields(r.error), `Invalid ${what}`);
  return r.data;
}
