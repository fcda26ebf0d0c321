import { and, asc, eq } from "drizzle-orm";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { AppContext } from "../context";
import { payouts, publishers } from "../db/schema";
import { Validation } from "../shared/errors";
import { formatMinor } from "../shared/money";
import { PERIOD_RE } from "../shared/period";

/** PayPal Payouts accepts at most this many rows per file. */
export const PAYPAL_MAX_ROWS = 5000;

export const exportQuery = z.strictObject({
  period: z.string().regex(PERIOD_RE, "must be a month like 2026-11"),
  method: z.enum(["paypal", "wise", "generic"]),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code like USD").optional(),
  /** 1-based part of a PayPal file longer than 5,000 rows. */
  part: z.coerce.number().int().min(1).max(1000).default(1),
});

const METHOD_OF = { paypal: "PayPal", wise: "Wise" } as const;
export const WISE_HEADER = ["name", "recipientEmail", "paymentReference", "receiverType", "amountCurrency", "amount", "sourceCurrency", "targetCurrency"];
const GENERIC_DETAILS = ["account_holder", "routing_number", "account_number", "account_type", "iban", "network", "address", "wechat_id", "real_name", "email", "phone"];

/** A cell a spreadsheet would run as a formula (= + - @, or a leading tab / CR) is prefixed with a quote. */
export function safeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/**
 * Payout files for the scheduled payouts of a period (SPEC §9). The payout id
 * is the reference on every row, so the provider's results map back to it
 * (bulk mark-paid). One currency per file.
 */
export async function exportPayouts(ctx: AppContext, q: z.infer<typeof exportQuery>): Promise<{ filename: string; csv: string; rows: number; parts: number }> {
  const rows = await ctx.db.select({ p: payouts, name: publishers.name, email: publishers.email }).from(payouts)
    .innerJoin(publishers, eq(publishers.id, payouts.publisherId))
    .where(and(eq(payouts.period, q.period), eq(payouts.status, "scheduled"), q.method === "generic" ? undefined : eq(payouts.method, METHOD_OF[q.method])))
    .orderBy(asc(payouts.currency), asc(publishers.name), asc(payouts.id));
  const picked = (q.method === "generic" ? rows.filter((r) => r.p.method !== "PayPal" && r.p.method !== "Wise") : rows)
    .filter((r) => !q.currency || r.p.currency === q.currency);
  const currencies = [...new Set(picked.map((r) => r.p.currency))];
  if (currencies.length > 1) throw new Validation({ currency: [`one currency per file: choose one of ${currencies.join(", ")}`] }, "More than one currency");
  const currency = currencies[0] ?? q.currency ?? "none";
  const details = (r: (typeof picked)[number]) => (r.p.methodDetails ? JSON.parse(r.p.methodDetails) as Record<string, string> : {});
  const amount = (r: (typeof picked)[number]) => formatMinor(r.p.amountMinor, r.p.currency);
  const note = `Lastclick payout ${q.period}`;
  let records: string[][];
  let parts = 1;
  if (q.method === "paypal") {
    parts = Math.max(1, Math.ceil(picked.length / PAYPAL_MAX_ROWS));
    const slice = picked.slice((q.part - 1) * PAYPAL_MAX_ROWS, q.part * PAYPAL_MAX_ROWS);
    // recipient, amount, currency, reference, note, wallet: no header row (PayPal's format).
    records = slice.map((r) => [safeCell(details(r).email ?? r.email), amount(r), r.p.currency, r.p.id, safeCell(note), "PayPal"]);
  } else if (q.method === "wise") {
    records = [WISE_HEADER, ...picked.map((r) => {
      const d = details(r);
      return [safeCell(d.account_holder ?? r.name), safeCell(d.email ?? ""), r.p.id, "PRIVATE", r.p.currency, amount(r), r.p.currency, d.currency ?? r.p.currency];
    })];
  } else {
    records = [["payout_id", "publisher", "publisher_email", "method", "currency", "amount", ...GENERIC_DETAILS], ...picked.map((r) => {
      const d = details(r);
      return [r.p.id, safeCell(r.name), safeCell(r.email), r.p.method ?? "", r.p.currency, amount(r), ...GENERIC_DETAILS.map((k) => safeCell(String(d[k] ?? "")))];
    })];
  }
  const suffix = parts > 1 ? `-part${q.part}` : "";
  return { filename: `payouts-${q.period}-${q.method}-${currency}${suffix}.csv`, csv: stringify(records, { record_delimiter: "\r\n" }), rows: q.method === "paypal" ? records.length : records.length - 1, parts };
}
