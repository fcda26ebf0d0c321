import { createHmac } from "node:crypto";
import { jsonPayload } from "./payload";
import { renderUrl, type MacroValues } from "./macros";
import { REQUEST_TIMEOUT_MS } from "./policy";

export interface SendRequest {
  template: string;
  method: "GET" | "POST";
  values: MacroValues;
  /** Clear-text signing key (POST only). */
  signingSecret: string | null;
  /** Epoch ms from the app clock: goes into the body and X-Lastclick-Timestamp. */
  now: number;
  timeoutMs?: number;
}

export interface SendResult { url: string; ok: boolean; statusCode: number | null; error: string | null; durationMs: number }

export const SIGNATURE_HEADER = "X-Lastclick-Signature";
export const TIMESTAMP_HEADER = "X-Lastclick-Timestamp";

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/**
 * One HTTP attempt, no database: GET or POST to the rendered URL. POST sends
 * the values as JSON with `sent_at` (unix seconds) inside the signed body, so
 * the signature also covers the timestamp a receiver checks for replays.
 * Only a 2xx counts; redirects are not followed (a postback URL should answer
 * itself). Never throws.
 */
export async function sendPostback(r: SendRequest): Promise<SendResult> {
  const url = renderUrl(r.template, r.values);
  const started = performance.now();
  const headers: Record<string, string> = { "user-agent": "Lastclick-Postback/1.0", accept: "*/*" };
  let body: string | undefined;
  if (r.method === "POST") {
    const sentAt = Math.floor(r.now / 1000);
    body = JSON.stringify({ ...jsonPayload(r.values), sent_at: sentAt });
    headers["content-type"] = "application/json";
    headers[TIMESTAMP_HEADER] = String(sentAt);
    if (r.signingSecret) headers[SIGNATURE_HEADER] = signature(r.signingSecret, body);
  }
  const done = (ok: boolean, statusCode: number | null, error: string | null): SendResult =>
    ({ url, ok, statusCode, error, durationMs: Math.round(performance.now() - started) });
  try {
    const res = await fetch(url, {
      method: r.method, headers, body, redirect: "manual",
      signal: AbortSignal.timeout(r.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
    const text = await readCapped(res, 500).catch(() => "");
    if (res.status >= 200 && res.status < 300) return done(true, res.status, null);
    const where = res.status >= 300 && res.status < 400 ? ` (redirect to ${res.headers.get("location") ?? "?"} not followed)` : "";
    return done(false, res.status, `HTTP ${res.status}${where}${text ? `: ${text}` : ""}`);
  } catch (e) {
    const name = e instanceof Error ? e.name : "";
    const msg = name === "TimeoutError" || name === "AbortError"
      ? `timed out after ${r.timeoutMs ?? REQUEST_TIMEOUT_MS} ms`
      : e instanceof Error ? e.message : String(e);
    return done(false, null, msg.slice(0, 500));
  }
}

/** The first `max` characters of a response body (for the attempt log), without reading the rest. */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (text.length < max) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  return text.slice(0, max).replace(/\s+/g, " ").trim();
}
