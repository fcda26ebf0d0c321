import { z } from "zod";
import { listBrands } from "../network/brands";
import { listPrograms } from "../network/programs";
import { listPublishers } from "../network/publishers";
import { bulkReview, MAX_BULK, type BulkOutcome } from "../conversions/bulk-review";
import { getConversionDetail } from "../conversions/conversion-detail";
import { signalsFor } from "../conversions/fraud-inputs";
import { approveConversion, reverseConversion } from "../conversions/review";
import { allConversions, CONVERSION_SOURCES, searchConversions } from "../conversions/search-conversions";
import { AppError, type FieldErrors } from "../shared/errors";
import { formatMinor } from "../shared/money";
import { csvResponse, type CsvCell } from "../shared/csv";
import { formatInZone } from "../shared/zoned-time";
import { queueView, type QueueView } from "../../views/admin/conversions";
import { conversionDetailView } from "../../views/admin/conversion-detail";
import { conversionSearch } from "./conversion-filters";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { render } from "./pages";

const ADMIN_SORTS = ["created_at", "order_value", "commission", "payout", "status"] as const;

async function names(c: ConsoleRequest) {
  const [programs, publishers, brands] = await Promise.all([listPrograms(c.ctx), listPublishers(c.ctx), listBrands(c.ctx)]);
  return {
    programs: programs.map((p) => ({ id: p.id, name: p.name })),
    publishers: publishers.map((p) => ({ id: p.id as string, name: p.name as string })),
    brands: brands.map((b) => ({ id: b.id as string, name: b.name as string })),
  };
}

async function queue(c: ConsoleRequest, extra: Partial<QueueView> = {}, status = 200) {
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const { search, errors } = conversionSearch(c.url.searchParams, tz, ADMIN_SORTS);
  const [page, n] = await Promise.all([searchConversions({ ctx: c.ctx, actor: c.auth!.actor, search }), names(c)]);
  const signals = await signalsFor(c.ctx, c.auth!.actor, page.rows);
  return render(c, "Review queue", queueView({
    rows: page.rows, hasNext: page.hasNext, page: search.page, signals, names: n, sources: CONVERSION_SOURCES,
    state: { path: "/admin/conversions", params: c.url.searchParams, sort: search.sort, dir: search.dir },
    csrf: c.auth!.session.csrfToken, tz, filterErrors: errors, ...extra,
  }), Object.keys(errors).length ? 422 : status);
}

const bulkForm = z.object({
  action: z.enum(["approve", "reverse"], "choose approve or reverse"),
  reason: z.string().trim().max(500, "must be at most 500 characters").optional(),
});

async function bulk(c: ConsoleRequest) {
  const ids = (c.form?.getAll("id") ?? []).filter((v) => v.length > 0 && v.length <= 64);
  const f = bulkForm.safeParse({ action: c.form?.get("action") ?? undefined, reason: c.form?.get("reason") ?? undefined });
  const bulkState = { action: c.form?.get("action") ?? undefined, reason: c.form?.get("reason") ?? undefined };
  const errors: FieldErrors = {};
  if (!f.success) errors.action = ["choose approve or reverse"];
  else if (f.data.action === "reverse" && !f.data.reason) errors.reason = ["say why (refund, chargeback, fraud): it goes in the audit trail"];
  if (ids.length === 0) errors._ = ["Select at least one conversion."];
  if (ids.length > MAX_BULK) errors._ = [`Select at most ${MAX_BULK} conversions at a time.`];
  if (!f.success || Object.keys(errors).length) {
    if (errors._) c.flash = { kind: "error", text: errors._[0]! };
    return queue(c, { bulk: { ...bulkState, errors } }, 422);
  }
  const results: BulkOutcome[] = await bulkReview(c.ctx, c.auth!.actor, { ids, action: f.data.action, reason: f.data.reason ?? null });
  return queue(c, { results, bulk: bulkState });
}

const CSV_HEADER = ["created_at", "conversion_id", "order_ref", "status", "test", "source", "program", "brand", "publisher", "order_value", "order_currency",
  "value", "commission", "network_fee", "publisher_payout", "currency", "attribution", "reversal_reason"];

async function csv(c: ConsoleRequest) {
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const { search } = conversionSearch(c.url.searchParams, tz, ADMIN_SORTS);
  const n = await names(c);
  const name = (list: { id: string; name: string }[], id: string | null) => (id ? list.find((x) => x.id === id)?.name ?? id : "");
  const rows: CsvCell[][] = [];
  for await (const r of allConversions({ ctx: c.ctx, actor: c.auth!.actor, search })) {
    rows.push([formatInZone(r.createdAt, tz, true), r.id, r.brandOrderRef, r.status, r.isTest, r.source, name(n.programs, r.programId), name(n.brands, r.brandId),
      name(n.publishers, r.publisherId), formatMinor(r.orderValueMinor, r.orderCurrency), r.orderCurrency, formatMinor(r.programValueMinor, r.currency),
      formatMinor(r.commissionMinor, r.currency), formatMinor(r.networkFeeMinor, r.currency), formatMinor(r.publisherPayoutMinor, r.currency), r.currency,
      r.attributionReason, r.reversalReason]);
  }
  return csvResponse("conversions.csv", CSV_HEADER, rows);
}

async function detail(c: ConsoleRequest, extra: { errors?: FieldErrors; reason?: string } = {}, status = 200) {
  const d = await getConversionDetail({ ctx: c.ctx, actor: c.auth!.actor, id: c.params.id! });
  return render(c, `Order ${d.conversion.brandOrderRef}`, conversionDetailView({ d, csrf: c.auth!.session.csrfToken, tz: c.ctx.config.NETWORK_TIMEZONE, now: c.ctx.clock.now(), ...extra }), status);
}

/** Domain refusals (already reversed, window passed) become a flash on the detail page. */
async function act(c: ConsoleRequest, run: () => Promise<{ changed: boolean }>, done: string, already: string) {
  const back = `/admin/conversions/${encodeURIComponent(c.params.id!)}`;
  try {
    const r = await run();
    return redirect(c, back, [flashCookie("ok", r.changed ? done : already)]);
  } catch (e) {
    if (!(e instanceof AppError) || e.status === 404 || e.status >= 500) throw e;
    return redirect(c, back, [flashCookie("error", `Refused: ${e.message}`)]);
  }
}

/** Admin: the review queue (filters, bulk approve / reverse, fraud signals, CSV) and a conversion's detail. */
export const adminConversionRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/conversions", access: ["admin"], handler: (c) => queue(c) },
  { method: "GET", path: "/admin/conversions.csv", access: ["admin"], handler: csv },
  { method: "POST", path: "/admin/conversions/bulk", access: ["admin"], handler: bulk },
  { method: "GET", path: "/admin/conversions/{id}", access: ["admin"], handler: (c) => detail(c) },
  { method: "POST", path: "/admin/conversions/{id}/approve", access: ["admin"], handler: (c) =>
    act(c, () => approveConversion(c.ctx, c.auth!.actor, c.params.id!), "Approved.", "It was already approved.") },
  { method: "POST", path: "/admin/conversions/{id}/reverse", access: ["admin"], handler: async (c) => {
    const reason = (c.form?.get("reason") ?? "").trim();
    if (!reason || reason.length > 500) {
      return detail(c, { errors: { reason: [reason ? "must be at most 500 characters" : "say why (refund, chargeback, fraud): it goes in the audit trail"] }, reason }, 422);
    }
    return act(c, () => reverseConversion(c.ctx, c.auth!.actor, c.params.id!, reason), "Reversed. It will not pay out.", "It was already reversed.");
  } },
];
