import { and, eq, gte, inArray, lt } from "drizzle-orm";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, conversions, programs, settings } from "../db/schema";
import { recordConversion } from "../conversions/record-conversion";
import { getIntegrationRow } from "../integrations/integration-store";
import { auditValues } from "../audit/audit";
import { mapStatusWord } from "../providers/shared/status";
import { BadRequest, Validation } from "../shared/errors";
import { formatMinor, normalizeCurrency, parseMoneyToMinor } from "../shared/money";
import { parsePeriod, PERIOD_RE } from "../shared/period";
import { safeCell } from "./payout-export";
import { FIELDS, parseReport, type Mapping, type ReportRow } from "./reconcile-parse";

export type Verdict = "matched" | "amount_differs" | "status_differs" | "missing_here" | "missing_there" | "duplicate_in_file" | "currency_differs" | "unreadable";
export interface ReconRow {
  verdict: Verdict; order_id: string; line: number | null; conversion_id: string | null;
  theirs: { amount: string | null; currency: string | null; status: string | null; commission: string | null } | null;
  ours: { amount: string; currency: string; status: string } | null;
  note?: string;
}

const mappingSchema = z.partialRecord(z.enum(FIELDS), z.string().trim().min(1).max(100));
export const reconcileFields = z.strictObject({
  integration_id: z.string().min(1).max(64),
  period: z.string().regex(PERIOD_RE, "must be a month like 2026-11"),
  mapping: z.string().max(2000).optional(),
});

type Conv = typeof conversions.$inferSelect;
const sameStatus = (ours: Conv["status"], theirs: string) => (ours === "paid" ? "approved" : ours) === theirs;

/**
 * Reconciliation (SPEC §9): a platform's report for one integration and month
 * against our conversions of that program, row by row. Nothing is written
 * except the remembered column mapping and an audit row.
 */
export async function reconcile(ctx: AppContext, actor: Actor, input: { integrationId: string; period: string; mapping: string | undefined; file: Uint8Array }) {
  const integration = await getIntegrationRow(ctx, input.integrationId);
  const p = parsePeriod(input.period, ctx.config.NETWORK_TIMEZONE);
  if (!p) throw new Validation({ period: ["must be a month like 2026-11"] });
  const mapping = await mappingFor(ctx, integration.id, input.mapping);
  const report = parseReport(input.file, integration.provider, mapping);
  const [program] = await ctx.db.select().from(programs).where(eq(programs.id, integration.programId));
  const ours = await ctx.db.select().from(conversions).where(and(eq(conversions.programId, integration.programId), eq(conversions.isTest, false),
    gte(conversions.createdAt, p.start), lt(conversions.createdAt, p.end)));
  const byRef = new Map(ours.map((c) => [c.brandOrderRef, c]));
  // Orders they report this month that we recorded in another month still match.
  const unseen = [...new Set(report.rows.map((r) => r.values.order_id).filter((id): id is string => !!id && !byRef.has(id)))];
  for (let i = 0; i < unseen.length; i += 500) {
    const more = await ctx.db.select().from(conversions).where(and(eq(conversions.programId, integration.programId), eq(conversions.isTest, false), inArray(conversions.brandOrderRef, unseen.slice(i, i + 500))));
    for (const c of more) byRef.set(c.brandOrderRef, c);
  }
  const seen = new Set<string>();
  const rows: ReconRow[] = report.rows.map((r) => compareRow(r, byRef, seen, program?.currency ?? "USD"));
  for (const c of ours) if (!seen.has(c.brandOrderRef)) rows.push({ verdict: "missing_there", order_id: c.brandOrderRef, line: null, conversion_id: c.id, theirs: null, ours: oursOf(c) });
  const totals = Object.fromEntries((["matched", "amount_differs", "status_differs", "missing_here", "missing_there", "duplicate_in_file", "currency_differs", "unreadable"] as Verdict[])
    .map((v) => [v, rows.filter((r) => r.verdict === v).length]));
  await ctx.db.insert(auditLog).values(auditValues({ actor, at: ctx.clock.now(), action: "reconciliation.run", entityType: "integration", entityId: integration.id, data: { period: p.key, rows: report.rows.length, totals } }));
  return { integration_id: integration.id, provider: integration.provider, period: p.key, mapping: report.mapping, rows_in_file: report.rows.length, totals, rows };
}

function compareRow(r: ReportRow, byRef: Map<string, Conv>, seen: Set<string>, programCurrency: string): ReconRow {
  const v = r.values;
  const theirs = { amount: v.amount, currency: v.currency, status: v.status, commission: v.commission };
  const base = { order_id: v.order_id ?? "", line: r.line, theirs };
  if (!v.order_id) return { ...base, verdict: "unreadable", conversion_id: null, ours: null, note: "no order id" };
  if (seen.has(v.order_id)) return { ...base, verdict: "duplicate_in_file", conversion_id: byRef.get(v.order_id)?.id ?? null, ours: null, note: "the same order id appears earlier in the file" };
  seen.add(v.order_id);
  const c = byRef.get(v.order_id);
  const currency = v.currency ? normalizeCurrency(v.currency) : (c?.orderCurrency ?? programCurrency);
  if (!currency) return { ...base, verdict: "unreadable", conversion_id: c?.id ?? null, ours: c ? oursOf(c) : null, note: `unknown currency "${v.currency}"` };
  let amount: number;
  try { amount = parseMoneyToMinor(v.amount ?? "", currency, { allowNegative: true }); } catch {
    return { ...base, verdict: "unreadable", conversion_id: c?.id ?? null, ours: c ? oursOf(c) : null, note: `amount "${v.amount}" is not a number` };
  }
  if (!c) return { ...base, verdict: "missing_here", conversion_id: null, ours: null, note: "the webhook never arrived (or was rejected)" };
  const ourAmount = currency === c.orderCurrency ? c.orderValueMinor : currency === c.currency ? c.programValueMinor : null;
  if (ourAmount === null) return { ...base, verdict: "currency_differs", conversion_id: c.id, ours: oursOf(c), note: `report in ${currency}, order in ${c.orderCurrency}` };
  const status = v.status ? mapStatusWord(v.status) : null;
  if (ourAmount !== amount) return { ...base, verdict: "amount_differs", conversion_id: c.id, ours: oursOf(c), note: `theirs ${formatMinor(amount, currency)}, ours ${formatMinor(ourAmount, currency)} ${currency}` };
  if (!status || !sameStatus(c.status, status)) return { ...base, verdict: "status_differs", conversion_id: c.id, ours: oursOf(c), note: `theirs ${v.status ?? "none"}, ours ${c.status}` };
  return { ...base, verdict: "matched", conversion_id: c.id, ours: oursOf(c) };
}

const oursOf = (c: Conv) => ({ amount: formatMinor(c.orderValueMinor, c.orderCurrency), currency: c.orderCurrency, status: c.status });

/** A mapping sent with the upload is validated and remembered for the integration; otherwise the remembered one. */
async function mappingFor(ctx: AppContext, integrationId: string, sent: string | undefined): Promise<Mapping | null> {
  const key = `reconciliation_mapping:${integrationId}`;
  if (sent) {
    let parsed: unknown;
    try { parsed = JSON.parse(sent); } catch { throw new Validation({ mapping: ["must be a JSON object like {\"order_id\":\"Order #\"}"] }); }
    const m = mappingSchema.safeParse(parsed);
    if (!m.success) throw new Validation({ mapping: [`keys must be among ${FIELDS.join(", ")}, values header names`] });
    await ctx.db.insert(settings).values({ key, value: JSON.stringify(m.data) }).onConflictDoUpdate({ target: settings.key, set: { value: JSON.stringify(m.data) } });
    return m.data;
  }
  const [row] = await ctx.db.select().from(settings).where(eq(settings.key, key));
  return row ? JSON.parse(row.value) : null;
}

/** The report as CSV; every text cell escaped against formula injection. */
export function reconciliationCsv(rows: ReconRow[]): string {
  return stringify([["verdict", "order_id", "line", "conversion_id", "their_amount", "their_currency", "their_status", "their_commission", "our_amount", "our_currency", "our_status", "note"],
    ...rows.map((r) => [r.verdict, r.order_id, r.line ?? "", r.conversion_id ?? "", r.theirs?.amount ?? "", r.theirs?.currency ?? "", r.theirs?.status ?? "", r.theirs?.commission ?? "",
      r.ours?.amount ?? "", r.ours?.currency ?? "", r.ours?.status ?? "", r.note ?? ""].map((x) => safeCell(String(x))))], { record_delimiter: "\r\n" });
}

/** multipart/form-data: integration_id, period, file, mapping? */
export async function readReconciliationForm(request: Request, raw: Uint8Array) {
  let form: FormData;
  try {
    form = await new Response(raw as BodyInit, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch {
    throw new BadRequest("Send multipart/form-data with integration_id, period and file");
  }
  const file = form.get("file");
  const fields = reconcileFields.safeParse({ integration_id: form.get("integration_id") ?? undefined, period: form.get("period") ?? undefined, mapping: form.get("mapping") ?? undefined });
  if (!fields.success) throw new Validation(Object.fromEntries(fields.error.issues.map((i) => [String(i.path[0]), [i.message]])));
  if (!file || typeof file === "string") throw new Validation({ file: ["attach the platform's report as a file"] });
  return { ...fields.data, file: new Uint8Array(await file.arrayBuffer()) };
}

export const importMissingBody = z.strictObject({
  integration_id: z.string().min(1).max(64),
  rows: z.array(z.strictObject({
    order_id: z.string().trim().min(1).max(200),
    amount: z.union([z.string().max(64), z.number()]),
    currency: z.string().max(8),
    commission: z.union([z.string().max(64), z.number()]).nullish(),
  })).min(1).max(1000),
});

/**
 * Imports "missing here" rows as conversions through the one recording path
 * (recordConversion): unattributed (the click never reached us), pending,
 * source = the platform. Idempotent on (program, order id): a row already on
 * file answers `duplicate`, nothing is counted twice.
 */
export async function importMissing(ctx: AppContext, actor: Actor, b: z.infer<typeof importMissingBody>) {
  const integration = await getIntegrationRow(ctx, b.integration_id);
    const results: { order_id: string; status: "created" | "duplicate" | "rejected"; conversion_id?: string; message?: string }[] = [];
  for (const r of b.rows) {
    try {
      const res = await recordConversion(ctx, actor, {
        programId: integration.programId, brandOrderRef: r.order_id, orderValue: r.amount, orderCurrency: r.currency, clickRef: null,
        isTest: integration.mode === "test", source: integration.provider, platformCommission: r.commission ?? null,
      });
      results.push({ order_id: r.order_id, status: res.status, conversion_id: res.conversion.id });
    } catch (e) {
      results.push({ order_id: r.order_id, status: "rejected", message: e instanceof Error ? e.message : String(e) });
    }
  }
  const count = (s: string) => results.filter((x) => x.status === s).length;
  return { created: count("created"), duplicate: count("duplicate"), rejected: count("rejected"), results };
}
