import { z } from "zod";
import { listPublishers } from "../network/publishers";
import { PAYOUT_METHODS } from "../network/payout-methods";
import { PAYOUT_STATUSES } from "../db/schema";
import { listSettlements } from "../settlement/close-period";
import { exportPayouts, exportQuery, PAYPAL_MAX_ROWS } from "../settlement/payout-export";
import { parsePayoutResultsCsv } from "../settlement/payout-results-csv";
import { applyPayoutResults, getPayout, listPayouts, markFailedBody, markPaidBody, markPayoutFailed, markPayoutPaid, type PayoutFilters } from "../settlement/payouts";
import { statementPdf } from "../settlement/pdf/statement-pdf";
import { payoutScope } from "../settlement/scope";
import { serializePayout } from "../settlement/serialize";
import { AppError, type FieldErrors } from "../shared/errors";
import { formatMinor } from "../shared/money";
import { PERIOD_RE } from "../shared/period";
import { zoned } from "../../views/components/when";
import { payoutDetailView, payoutsView, type PayoutRow, type PayoutsView } from "../../views/admin/payouts";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { parseForm } from "./forms";
import { csvHref, csvResponse, fileResponse, filters, listing, wantsCsv } from "./listing";
import { render } from "./pages";

const SORTS: Record<string, (r: PayoutRow) => string | number> = {
  period: (r) => r.period, publisher: (r) => r.publisher_name.toLowerCase(), amount: (r) => r.amount_minor, status: (r) => r.status,
  method: (r) => r.method ?? "", due_at: (r) => r.due_at ?? "",
};

/** The filters of the list, validated: a value that is not one of ours is ignored (the list is not filtered by it). */
function payoutFilters(c: ConsoleRequest): PayoutFilters {
  const f = filters(c, ["period", "status", "method", "currency", "publisher_id"]);
  return {
    period: f.period && PERIOD_RE.test(f.period) ? f.period : undefined,
    status: (PAYOUT_STATUSES as readonly string[]).includes(f.status ?? "") ? f.status as PayoutFilters["status"] : undefined,
    method: (PAYOUT_METHODS as readonly string[]).includes(f.method ?? "") ? f.method : undefined,
    currency: f.currency && /^[A-Z]{3}$/.test(f.currency) ? f.currency : undefined,
    publisher_id: f.publisher_id,
  };
}

async function rows(c: ConsoleRequest): Promise<PayoutRow[]> {
  const [list, pubs] = await Promise.all([listPayouts(c.ctx, payoutFilters(c), payoutScope(c.auth!.actor)), listPublishers(c.ctx)]);
  const names = new Map(pubs.map((p) => [p.id, p.name]));
  return list.map((p) => ({ ...p, publisher_name: names.get(p.publisher_id) ?? p.publisher_id }));
}

async function page(c: ConsoleRequest, extra: Partial<PayoutsView> = {}, status = 200) {
  const q = payoutFilters(c);
  const [all, pubs, closes, paypal] = await Promise.all([
    rows(c), listPublishers(c.ctx), listSettlements(c.ctx),
    q.period ? listPayouts(c.ctx, { period: q.period, status: "scheduled", method: "PayPal" }) : Promise.resolve([]),
  ]);
  const l = listing(c, all, SORTS, { sort: "period", dir: "desc" });
  const byCcy = new Map<string, number>();
  for (const p of paypal) byCcy.set(p.currency, (byCcy.get(p.currency) ?? 0) + 1);
  const currencies = [...new Set(closes.flatMap((s) => (s.currencies ?? []).map((x: { currency: string }) => x.currency)))].sort();
  return render(c, "Payouts", payoutsView({
    payouts: l.rows, total: l.total, nextCursor: l.nextCursor, csrf: c.auth!.session.csrfToken, zone: c.ctx.config.NETWORK_TIMEZONE, csvHref: csvHref(c),
    publishers: pubs.map((p) => ({ id: p.id, name: p.name })).sort((a, b) => a.name.localeCompare(b.name)),
    periods: closes.map((s) => s.period as string), currencies: q.period ? currencies.filter((x) => all.some((p) => p.currency === x) || byCcy.has(x)) : currencies,
    methods: PAYOUT_METHODS, paypalParts: [...byCcy].map(([currency, n]) => ({ currency, parts: Math.ceil(n / PAYPAL_MAX_ROWS) })),
    state: { path: "/admin/payouts", params: c.url.searchParams, sort: l.sort, dir: l.dir }, ...extra,
  }), status);
}

async function detail(c: ConsoleRequest, extra: { errors?: FieldErrors; values?: Record<string, string> } = {}, status = 200) {
  const actor = c.auth!.actor;
  const { row, lines } = await getPayout(c.ctx, c.params.id!, payoutScope(actor));
  const admin = actor.type === "admin";
  const pubs = admin ? await listPublishers(c.ctx) : [];
  const name = admin ? pubs.find((p) => p.id === row.publisherId)?.name ?? row.publisherId : "Your payout";
  const order = { program: 0, adjustment: 1, carried: 2 } as const;
  return render(c, `Payout ${row.period}`, payoutDetailView({
    payout: serializePayout(row), publisherName: name, csrf: c.auth!.session.csrfToken, zone: c.ctx.config.NETWORK_TIMEZONE, admin, ...extra,
    lines: [...lines].sort((a, b) => order[a.kind] - order[b.kind]).map((l) => ({ kind: l.kind, description: l.description, conversions: l.conversions, amount: formatMinor(l.amountMinor, row.currency) })),
    statementHref: admin ? `/admin/payouts/${row.id}/statement.pdf` : `/dashboard/publisher/payouts/${row.id}/statement.pdf`,
  }), status);
}

function failure(e: unknown): string {
  if (e instanceof AppError && e.status < 500) return e.fields ? Object.entries(e.fields).map(([k, v]) => `${k}: ${v.join("; ")}`).join(". ") : e.message;
  throw e;
}

const bulkForm = z.object({ action: z.enum(["paid", "failed"], "choose mark paid or mark failed"), reference: z.string().trim().max(200).optional(), reason: z.string().trim().max(500).optional() });

/** Admin: payouts with filters, bulk mark paid / failed, payout files, results upload, a payout's lines and statement. */
export const payoutRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/payouts", access: ["admin"], handler: async (c) => {
    if (!wantsCsv(c)) return page(c);
    const zone = c.ctx.config.NETWORK_TIMEZONE;
    return csvResponse("payouts.csv", ["payout_id", "period", "publisher_id", "publisher", "currency", "amount", "conversions", "status", "method", "due", "reference", "failure_reason", "paid_at"],
      (await rows(c)).map((r) => [r.id, r.period, r.publisher_id, r.publisher_name, r.currency, r.amount, r.conversions, r.status, r.method, zoned(r.due_at, zone), r.reference, r.failure_reason, zoned(r.paid_at, zone, true)]));
  } },
  { method: "GET", path: "/admin/payouts/export", access: ["admin"], handler: async (c) => {
    const q = exportQuery.safeParse(Object.fromEntries(c.url.searchParams));
    if (!q.success) return redirect(c, "/admin/payouts", [flashCookie("error", "Choose a period, a method and a currency to export a payout file.")]);
    try {
      const f = await exportPayouts(c.ctx, q.data);
      return fileResponse(new TextEncoder().encode(f.csv), "text/csv; charset=utf-8", f.filename);
    } catch (e) {
      return redirect(c, `/admin/payouts?period=${q.data.period}`, [flashCookie("error", failure(e))]);
    }
  } },
  { method: "POST", path: "/admin/payouts/bulk", access: ["admin"], handler: async (c) => {
    const ids = [...new Set(c.form?.getAll("id") ?? [])].slice(0, 5000);
    const f = parseForm(bulkForm, c.form);
    if (!f.ok) return page(c, { bulkError: "Choose mark paid or mark failed." }, 422);
    if (ids.length === 0) return page(c, { bulkError: "Select at least one scheduled payout." }, 422);
    const text = f.data.action === "paid" ? f.data.reference : f.data.reason;
    if (!text || (f.data.action === "failed" && text.length < 3)) {
      return page(c, { bulkError: f.data.action === "paid" ? "Enter the payment reference to mark payouts paid." : "Give a reason (at least 3 characters) to mark payouts failed." }, 422);
    }
    const r = await applyPayoutResults(c.ctx, c.auth!.actor, ids.map((id) => ({ payout_id: id, status: f.data.action, reference: f.data.reference, reason: f.data.reason })));
    const msg = `${r.paid} marked paid, ${r.failed} marked failed, ${r.unchanged} unchanged${r.errors ? `, ${r.errors} not changed: ${r.results.find((x) => x.outcome === "error")?.message}` : ""}.`;
    return redirect(c, c.request.headers.get("referer")?.includes("/admin/payouts") ? new URL(c.request.headers.get("referer")!).pathname + new URL(c.request.headers.get("referer")!).search : "/admin/payouts", [flashCookie(r.errors ? "error" : "ok", msg)]);
  } },
  { method: "POST", path: "/admin/payouts/results", access: ["admin"], handler: async (c) => {
    const file = c.files?.file;
    if (!file || file.size === 0) return page(c, { uploadError: "Attach the results file (CSV)." }, 422);
    try {
      const results = parsePayoutResultsCsv(new TextDecoder().decode(await file.arrayBuffer()));
      return page(c, { uploaded: await applyPayoutResults(c.ctx, c.auth!.actor, results) });
    } catch (e) {
      return page(c, { uploadError: failure(e) }, 422);
    }
  } },
  { method: "GET", path: "/admin/payouts/{id}", access: ["admin"], handler: (c) => detail(c) },
  { method: "GET", path: "/admin/payouts/{id}/statement.pdf", access: ["admin"], handler: async (c) => {
    const f = await statementPdf(c.ctx, c.params.id!, payoutScope(c.auth!.actor));
    return fileResponse(f.bytes, "application/pdf", f.filename);
  } },
  { method: "POST", path: "/admin/payouts/{id}/mark-paid", access: ["admin"], handler: async (c) => {
    const values = { reference: c.form?.get("reference") ?? "" };
    const f = parseForm(markPaidBody.strip(), c.form);
    if (!f.ok) return detail(c, { errors: { reference: ["enter the payment reference"] }, values }, 422);
    try {
      await markPayoutPaid(c.ctx, c.auth!.actor, c.params.id!, f.data.reference);
    } catch (e) {
      return detail(c, { errors: { reference: [failure(e)] }, values }, e instanceof AppError ? e.status : 500);
    }
    return redirect(c, `/admin/payouts/${c.params.id}`, [flashCookie("ok", "The payout is marked paid.")]);
  } },
  { method: "POST", path: "/admin/payouts/{id}/mark-failed", access: ["admin"], handler: async (c) => {
    const values = { reason: c.form?.get("reason") ?? "" };
    const f = parseForm(markFailedBody.strip(), c.form);
    if (!f.ok) return detail(c, { errors: f.errors, values }, 422);
    try {
      await markPayoutFailed(c.ctx, c.auth!.actor, c.params.id!, f.data.reason);
    } catch (e) {
      return detail(c, { errors: { reason: [failure(e)] }, values }, e instanceof AppError ? e.status : 500);
    }
    return redirect(c, `/admin/payouts/${c.params.id}`, [flashCookie("ok", "The payout is marked failed; its amount returns to the publisher's balance.")]);
  } },
];

/** The publisher's own payout detail (scoped in the domain: another publisher's id is a 404). */
export const payoutDetail = detail;
