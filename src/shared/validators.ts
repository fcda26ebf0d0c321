import { isIP } from "node:net";
import { z } from "zod";
import { Validation } from "./errors";
import { MoneyParseError, normalizeCurrency, parseDecimal } from "./money";

/** Shared zod pieces for API bodies. */
export const id = z.string().min(1).max(64);
export const amount = z.union([z.number(), z.string().max(64)], { error: "must be a number or a decimal string" })
  .refine((v) => { try { parseDecimal(v); return true; } catch { return false; } }, "must be a decimal number like 99.00");
export const currency = z.string().transform((v, c) => {
  const n = normalizeCurrency(v);
  if (!n) { c.addIssue({ code: "custom", message: `"${v}" is not an ISO 4217 currency code` }); return z.NEVER; }
  return n;
});
export const MAX_URL_LENGTH = 2048;

/**
 * A destination URL as browsers will read it, or why it is refused. The
 * canonical form is the WHATWG serialisation (punycode host, percent-encoded
 * path and query, "https:x" and backslashes resolved, default port dropped),
 * so what is stored, shown and redirected to are the same bytes, and they
 * are always a valid Location header. Control characters and credentials are
 * refused rather than silently dropped.
 */
export function canonicalHttpUrl(input: string): { url: string } | { problem: string } {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(input)) return { problem: "must not contain control characters (tabs, line breaks)" };
  let u: URL;
  try { u = new URL(input.trim()); } catch { return { problem: "must be an absolute http:// or https:// URL" }; }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || u.hostname === "") return { problem: "must be an absolute http:// or https:// URL" };
  if (u.username !== "" || u.password !== "") return { problem: "must not carry a user name or password (user:pass@)" };
  const url = u.href;
  if (!/^[\x21-\x7e]+$/.test(url)) return { problem: "cannot be written as a plain ASCII URL" };
  if (url.length > MAX_URL_LENGTH) return { problem: `is longer than ${MAX_URL_LENGTH} characters once encoded` };
  return { url };
}

/** An absolute http(s) URL, stored in its canonical form (canonicalHttpUrl). */
export const httpUrl = z.string().max(MAX_URL_LENGTH * 2).transform((v, c) => {
  const r = canonicalHttpUrl(v);
  if ("problem" in r) { c.addIssue({ code: "custom", message: r.problem }); return z.NEVER; }
  return r.url;
});
export const isoTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((v) => Date.parse(v));

/** Runs an exact money parse; its MoneyParseError becomes a 422 on `field`. */
export function moneyField<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof MoneyParseError) throw new Validation({ [field]: [e.message] });
    throw e;
  }
}

/** An IP address or an IPv4 CIDR: the forms the proxy/allowlist matcher understands. */
export function isIpOrCidr(v: string): boolean {
  const [addr, bits] = v.split("/");
  if (!addr || !isIP(addr)) return false;
  return bits === undefined || (isIP(addr) === 4 && /^\d+$/.test(bits) && Number(bits) <= 32);
}
export const ipOrCidr = z.string().refine(isIpOrCidr, "must be an IP address or an IPv4 CIDR like 10.0.0.0/8");
