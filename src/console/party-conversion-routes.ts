import { listApprovals } from "../network/approvals";
import { listPrograms } from "../network/programs";
import { listPublishers } from "../network/publishers";
import type { Actor } from "../auth/authenticate";
import { publisherBalances } from "../conversions/balances";
import { subIdsOf } from "../conversions/conversion-clicks";
import { getConversion } from "../conversions/list-conversions";
import { reverseConversion } from "../conversions/review";
import { allConversions, searchConversions, type ConversionSort } from "../conversions/search-conversions";
import { AppError, NotFound } from "../shared/errors";
import { csvResponse, type CsvCell } from "../shared/csv";
import { formatMinor } from "../shared/money";
import { formatInZone } from "../shared/zoned-time";
import { brandConversionsView, type BrandConversionsView } from "../../views/brand/conversions";
import { earningsView } from "../../views/publisher/earnings";
import { conversionSearch } from "./conversion-filters";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { render } from "./pages";

const BRAND_SORTS: ConversionSort[] = ["created_at", "order_value", "commission", "status"];
const PUBLISHER_SORTS: ConversionSort[] = ["created_at", "payout", "status"];
const brandIdOf = (a: Actor) => (a.type === "brand" ? a.brandId : "");
const publisherIdOf = (a: Actor) => (a.type === "publisher" ? a.publisherId : "");

async function brandNames(c: ConsoleRequest) {
  const [programs, publishers] = await Promise.all([listPrograms(c.ctx, { brandId: brandIdOf(c.auth!.actor) }), listPublishers(c.ctx)]);
  return { programs: programs.map((p) => ({ id: p.id, name: p.name })), publishers: publishers.map((p) => ({ id: p.id as string, name: p.name as string })) };
}

async function brandPage(c: ConsoleRequest, extra: Partial<BrandConversionsView> = {}, status = 200) {
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const { search, errors } = conversionSearch(c.url.searchParams, tz, BRAND_SORTS);
  delete search.publisherId; delete search.brandId; delete search.source;
  const [page, names] = await Promise.all([searchConversions({ ctx: c.ctx, actor: c.auth!.actor, search }), brandNames(c)]);
  return render(c, "Conversions", brandConversionsView({
    rows: page.rows, hasNext: page.hasNext, page: search.page, ...names, csrf: c.auth!.session.csrfToken, tz, now: c.ctx.clock.now(),
    state: { path: "/dashboard/brand/conversions", params: c.url.searchParams, sort: search.sort, dir: search.dir }, filterErrors: errors, ...extra,
  }), Object.keys(errors).length ? 422 : status);
}

async function brandCsv(c: ConsoleRequest) {
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const { search } = conversionSearch(c.url.searchParams, tz, BRAND_SORTS);
  delete search.publisherId; delete search.brandId; delete search.source;
  const names = await brandNames(c);
  const name = (list: { id: string; name: string }[], id: string | null) => (id ? list.find((x) => x.id === id)?.name ?? "" : "");
  const rows: CsvCell[][] = [];
  for await (const r of allConversions({ ctx: c.ctx, actor: c.auth!.actor, search })) {
    rows.push([formatInZone(r.createdAt, tz, true), r.id, r.brandOrderRef, r.status, r.isTest, name(names.programs, r.programId), name(names.publishers, r.publisherId),
      formatMinor(r.orderValueMinor, r.orderCurrency), r.orderCurrency, formatMinor(r.commissionMinor, r.currency), r.currency, r.reversalReason]);
  }
  return csvResponse("conversions.csv", ["created_at", "conversion_id", "order_ref", "status", "test", "program", "publisher", "order_value", "order_currency", "commission_owed", "currency", "reversal_reason"], rows);
}

async function brandReverse(c: ConsoleRequest) {
  const reason = (c.form?.get("reason") ?? "").trim();
  const id = c.params.id!;
  const back = `/dashboard/brand/conversions${c.url.search}`;
  if (!reason || reason.length > 500) {
    const message = reason ? "must be at most 500 characters" : "say why (refund, chargeback, fraud)";
    // Only a conversion the brand may see gets its field error shown; any other id is not found.
    if (!(await getConversion({ ctx: c.ctx, actor: c.auth!.actor, id }))) throw new NotFound("Conversion not found");
    return brandPage(c, { rowError: { id, errors: { reason: [message] }, reason } }, 422);
  }
  try {
    const r = await reverseConversion(c.ctx, c.auth!.actor, id, reason);
    return redirect(c, back, [flashCookie("ok", r.changed ? `Order ${r.conversion.brandOrderRef} reversed. It will not be paid.` : `Order ${r.conversion.brandOrderRef} was already reversed.`)]);
  } catch (e) {
    if (!(e instanceof AppError) || e.status === 404 || e.status >= 500) throw e;
    return redirect(c, back, [flashCookie("error", `Not reversed: ${e.message}.`)]);
  }
}

async function publisherPrograms(c: ConsoleRequest) {
  const [programs, approvals] = await Promise.all([listPrograms(c.ctx), listApprovals(c.ctx, { publisherId: publisherIdOf(c.auth!.actor) })]);
  const mine = new Set(approvals.map((a) => a.program_id));
  return programs.filter((p) => mine.has(p.id)).map((p) => ({ id: p.id, name: p.name }));
}

function publisherSearch(c: ConsoleRequest) {
  const r = conversionSearch(c.url.searchParams, c.ctx.config.NETWORK_TIMEZONE, PUBLISHER_SORTS);
  delete r.search.publisherId; delete r.search.brandId; delete r.search.source; delete r.search.test; delete r.search.q;
  return r;
}

async function earnings(c: ConsoleRequest) {
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const { search, errors } = publisherSearch(c);
  const [page, balances, programs] = await Promise.all([
    searchConversions({ ctx: c.ctx, actor: c.auth!.actor, search }), publisherBalances(c.ctx, c.auth!.actor), publisherPrograms(c),
  ]);
  const subIds = await subIdsOf(c.ctx, page.rows);
  return render(c, "Earnings", earningsView({
    rows: page.rows, hasNext: page.hasNext, page: search.page, subIds, balances, programs, tz, filterErrors: errors,
    state: { path: "/dashboard/publisher/earnings", params: c.url.searchParams, sort: search.sort, dir: search.dir },
  }), Object.keys(errors).length ? 422 : 200);
}

async function earningsCsv(c: ConsoleRequest) {
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const { search } = publisherSearch(c);
  const programs = await publisherPrograms(c);
  const all = [];
  for await (const r of allConversions({ ctx: c.ctx, actor: c.auth!.actor, search })) all.push(r);
  const subs = await subIdsOf(c.ctx, all);
  const rows: CsvCell[][] = all.map((r) => {
    const k = subs.get(r.clickId ?? "");
    return [formatInZone(r.createdAt, tz, true), r.id, programs.find((p) => p.id === r.programId)?.name ?? "", r.brandOrderRef,
      k?.sub1, k?.sub2, k?.sub3, k?.sub4, k?.sub5, formatMinor(r.publisherPayoutMinor, r.currency), r.currency, r.status, r.reversalReason];
  });
  return csvResponse("earnings.csv", ["created_at", "conversion_id", "program", "order_ref", "sub1", "sub2", "sub3", "sub4", "sub5", "payout", "currency", "status", "reversal_reason"], rows);
}

/** A brand's conversions (reverse within the window) and a publisher's earnings; scope from the actor in the domain. */
export const partyConversionRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/dashboard/brand/conversions", access: ["brand"], handler: (c) => brandPage(c) },
  { method: "GET", path: "/dashboard/brand/conversions.csv", access: ["brand"], handler: brandCsv },
  { method: "POST", path: "/dashboard/brand/conversions/{id}/reverse", access: ["brand"], handler: brandReverse },
  { method: "GET", path: "/dashboard/publisher/earnings", access: ["publisher"], handler: earnings },
  { method: "GET", path: "/dashboard/publisher/earnings.csv", access: ["publisher"], handler: earningsCsv },
];
