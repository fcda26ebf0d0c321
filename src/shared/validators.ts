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
export const httpUrl = z.string().max(2048).refine((v) => {
  try { const u = new URL(v); return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== ""; } catch { return false; }
}, "must be an absolute http:// or https:// URL");
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
