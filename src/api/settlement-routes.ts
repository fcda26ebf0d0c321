import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import { closePeriod, listSettlements } from "../settlement/close-period";
import { getInvoice, invoicePaidBody, listInvoices, listInvoicesQuery, markInvoicePaid, voidInvoice, voidInvoiceBody } from "../settlement/invoices";
import { brandBillingBody, getNetworkSettings, networkSettingsBody, publisherThresholdBody, putBrandBilling, putNetworkSettings, putPublisherThreshold } from "../settlement/network-settings";
import { exportPayouts, exportQuery } from "../settlement/payout-export";
import { parsePayoutResultsCsv } from "../settlement/payout-results-csv";
import { applyPayoutResults, bulkResultsBody, getPayout, listPayouts, listPayoutsQuery, markFailedBody, markPaidBody, markPayoutFailed, markPayoutPaid } from "../settlement/payouts";
import { invoicePdf } from "../settlement/pdf/invoice-pdf";
import { statementPdf } from "../settlement/pdf/statement-pdf";
import { importMissing, importMissingBody, readReconciliationForm, reconciliationCsv } from "../settlement/reconcile";
import { runReconciliation } from "../settlement/reconciliation-runs";
import { serializeInvoice, serializePayout } from "../settlement/serialize";
import { BadRequest } from "../shared/errors";
import { PERIOD_RE } from "../shared/period";
import { readRawBody, validate } from "./body";
import { route } from "./route";

const closeBody = z.strictObject({ period: z.string().regex(PERIOD_RE, "must be a month like 2026-11") });

function file(body: string | Uint8Array, type: string, filename: string): Response {
  return new Response(body as BodyInit, { headers: { "content-type": type, "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" } });
}

/** A brand key reads only its own invoices; a test key has none (test conversions never settle). */
const brandOnly = (a: Actor) => (a.type === "brand" && a.mode === "live" ? a.brandId : "\u0000none");

/** Payout results as JSON {results: [...]} or as CSV with a header payout_id,status,reference,reason. */
async function resultsFrom(request: Request, cap: number) {
  const raw = new TextDecoder().decode(await readRawBody(request, cap));
  if ((request.headers.get("content-type") ?? "").startsWith("text/csv")) return parsePayoutResultsCsv(raw);
  let json: unknown;
  try { json = JSON.parse(raw); } catch { throw new BadRequest("Body is not valid JSON (or send text/csv)"); }
  return validate(bulkResultsBody, json).results;
}

/** Monthly settlement (SPEC §9, §11): the close, payouts, payout files, invoices. */
export const settlementRoutes = [
  route({ method: "post", path: "/api/admin/settlements", auth: "admin", tag: "settlement", status: 201, errors: [409],
    summary: "Close a month (write-once): 201 with the summary on the close that did it, 200 with the same summary on any rerun",
    body: closeBody, handler: async ({ ctx, actor, body }) => {
      const r = await closePeriod(ctx, actor, body.period);
      // An explicit Response: the status says which call closed it, the body is the same either way.
      return new Response(JSON.stringify(r.summary), { status: r.created ? 201 : 200, headers: { "content-type": "application/json; charset=utf-8" } });
    } }),
  route({ method: "get", path: "/api/admin/settlements", auth: "admin", tag: "settlement", summary: "List closes with their summaries and audit hashes",
    handler: async ({ ctx }) => ({ data: await listSettlements(ctx) }) }),

  route({ method: "get", path: "/api/admin/payouts", auth: "admin", tag: "settlement", summary: "List payouts (filter by period, status, publisher)",
    query: listPayoutsQuery, handler: async ({ ctx, query }) => ({ data: await listPayouts(ctx, query) }) }),
  route({ method: "get", produces: "text/csv", path: "/api/admin/payouts/export", auth: "admin", tag: "settlement", summary: "Payout file (CSV) of a period's scheduled payouts: PayPal Payouts, Wise batch or generic",
    query: exportQuery, handler: async ({ ctx, query }) => {
      const f = await exportPayouts(ctx, query);
      const res = file(f.csv, "text/csv; charset=utf-8", f.filename);
      res.headers.set("x-total-parts", String(f.parts));
      return res;
    } }),
  route({ method: "post", path: "/api/admin/payouts/results", auth: "admin", tag: "settlement",
    summary: "Apply a payout file's results (JSON {results:[{payout_id,status,reference,reason}]} or text/csv with that header); each row once",
    handler: async ({ ctx, actor, request }) => applyPayoutResults(ctx, actor, await resultsFrom(request, ctx.config.MAX_BODY_BYTES * 16)) }),
  route({ method: "get", path: "/api/admin/payouts/{id}", auth: "admin", tag: "settlement", summary: "A payout with its lines",
    handler: async ({ ctx, params }) => { const p = await getPayout(ctx, params.id!); return serializePayout(p.row, p.lines); } }),
  route({ method: "get", produces: "application/pdf", path: "/api/admin/payouts/{id}/statement.pdf", auth: "admin", tag: "settlement", summary: "The publisher's PDF statement of a payout",
    handler: async ({ ctx, params }) => { const f = await statementPdf(ctx, params.id!); return file(f.bytes, "application/pdf", f.filename); } }),
  route({ method: "post", path: "/api/admin/payouts/{id}/mark-paid", auth: "admin", tag: "settlement", errors: [409],
    summary: "Mark a scheduled payout paid with its reference (repeat with the same reference is a no-op)", body: markPaidBody,
    handler: ({ ctx, actor, params, body }) => markPayoutPaid(ctx, actor, params.id!, body.reference) }),
  route({ method: "post", path: "/api/admin/payouts/{id}/mark-failed", auth: "admin", tag: "settlement", errors: [409],
    summary: "Mark a scheduled payout failed: its amount returns to the publisher's balance", body: markFailedBody,
    handler: ({ ctx, actor, params, body }) => markPayoutFailed(ctx, actor, params.id!, body.reason) }),

  route({ method: "get", path: "/api/admin/invoices", auth: "admin", tag: "settlement", summary: "List brand invoices (filter by period, status, brand)",
    query: listInvoicesQuery, handler: async ({ ctx, query }) => ({ data: await listInvoices(ctx, query) }) }),
  route({ method: "get", path: "/api/admin/invoices/{id}", auth: "admin", tag: "settlement", summary: "An invoice with its lines",
    handler: async ({ ctx, params }) => { const i = await getInvoice(ctx, params.id!); return serializeInvoice(i.row, i.lines); } }),
  route({ method: "get", produces: "application/pdf", path: "/api/admin/invoices/{id}/pdf", auth: "admin", tag: "settlement", summary: "An invoice as PDF",
    handler: async ({ ctx, params }) => { const f = await invoicePdf(ctx, params.id!); return file(f.bytes, "application/pdf", f.filename); } }),
  route({ method: "post", path: "/api/admin/invoices/{id}/mark-paid", auth: "admin", tag: "settlement", errors: [409],
    summary: "Mark an issued invoice paid", body: invoicePaidBody,
    handler: ({ ctx, actor, params, body }) => markInvoicePaid(ctx, actor, params.id!, body.reference ?? null) }),
  route({ method: "post", path: "/api/admin/invoices/{id}/void", auth: "admin", tag: "settlement", errors: [409],
    summary: "Void an issued invoice; a replacement with a new number is issued in the same transaction", body: voidInvoiceBody,
    handler: ({ ctx, actor, params, body }) => voidInvoice(ctx, actor, params.id!, body.reason) }),

  route({ method: "post", path: "/api/admin/reconciliations", auth: "admin", tag: "settlement", errors: [400, 413],
    summary: "Reconcile a platform report (multipart: integration_id, period, file, mapping?) row by row; ?format=csv for the CSV",
    query: z.strictObject({ format: z.enum(["json", "csv"]).default("json") }),
    handler: async ({ ctx, actor, request, query }) => {
      const form = await readReconciliationForm(request, await readRawBody(request, ctx.config.MAX_BODY_BYTES * 64));
      const { report } = await runReconciliation(ctx, actor, { integrationId: form.integration_id, period: form.period, mapping: form.mapping, file: form.file });
      if (query.format === "csv") return file(reconciliationCsv(report.rows), "text/csv; charset=utf-8", `reconciliation-${report.provider}-${report.period}.csv`);
      return report;
    } }),
  route({ method: "post", path: "/api/admin/reconciliations/import", auth: "admin", tag: "settlement",
    summary: "Import a reconciliation's missing-here rows as conversions (unattributed, pending; idempotent per order id)",
    body: importMissingBody, handler: ({ ctx, actor, body }) => importMissing(ctx, actor, body) }),
  route({ method: "get", path: "/api/admin/network-settings", auth: "admin", tag: "settlement", summary: "The network's legal details, bank details and payout threshold",
    handler: ({ ctx }) => getNetworkSettings(ctx) }),
  route({ method: "put", path: "/api/admin/network-settings", auth: "admin", tag: "settlement", summary: "Set the network's legal details, bank details (wire, ACH) and default payout threshold",
    body: networkSettingsBody, handler: ({ ctx, actor, body }) => putNetworkSettings(ctx, actor, body) }),
  route({ method: "put", path: "/api/admin/brands/{id}/billing", auth: "admin", tag: "settlement", summary: "Set a brand's billing details for invoices",
    body: brandBillingBody, handler: ({ ctx, actor, params, body }) => putBrandBilling(ctx, actor, params.id!, body) }),
  route({ method: "put", path: "/api/admin/publishers/{id}/payout-threshold", auth: "admin", tag: "settlement", summary: "Set (or clear with null) a publisher's own payout threshold",
    body: publisherThresholdBody, handler: ({ ctx, actor, params, body }) => putPublisherThreshold(ctx, actor, params.id!, body.payout_threshold) }),

  route({ method: "get", path: "/api/invoices", auth: "brand", tag: "brand", summary: "This brand's invoices",
    query: listInvoicesQuery.omit({ brand_id: true }), handler: async ({ ctx, actor, query }) => ({ data: await listInvoices(ctx, query, { brandId: brandOnly(actor) }) }) }),
  route({ method: "get", produces: "application/pdf", path: "/api/invoices/{id}/pdf", auth: "brand", tag: "brand", summary: "One of this brand's invoices as PDF",
    handler: async ({ ctx, actor, params }) => { const f = await invoicePdf(ctx, params.id!, { brandId: brandOnly(actor) }); return file(f.bytes, "application/pdf", f.filename); } }),
];
