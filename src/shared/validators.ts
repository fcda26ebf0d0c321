import { z } from "zod";
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

export function moneyIssue(fn: () => unknown, c: z.RefinementCtx): boolean {
  try { fn(); return true; } catch (e) {
    if (e instanceof MoneyParseError) { c.addIssue({ code: "custom", message: e.message }); return false; }
    throw e;
  }
}
