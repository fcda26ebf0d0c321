import { listBrands } from "../network/brands";
import { listSettlements } from "../settlement/close-period";
import { getInvoice, invoicePaidBody, listInvoices, markInvoicePaid, voidInvoice, voidInvoiceBody } from "../settlement/invoices";
import { invoicePdf } from "../settlement/pdf/invoice-pdf";
import { invoiceScope } from "../settlement/scope";
import { serializeInvoice } from "../settlement/serialize";
import { AppError, type FieldErrors } from "../shared/errors";
import { PERIOD_RE } from "../shared/period";
import { zoned } from "../../views/components/when";
import { invoiceDetailView, invoicesView, type InvoiceRow } from "../../views/admin/invoices";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { parseForm } from "./forms";
import { csvHref, csvResponse, fileResponse, filters, listing, wantsCsv } from "./listing";
import { render } from "./pages";

const SORTS: Record<string, (r: InvoiceRow) => string | number> = {
  number: (r) => r.number, brand: (r) => r.brand_name.toLowerCase(), period: (r) => r.period, total: (r) => r.total_minor,
  status: (r) => r.status, issued_at: (r) => r.issued_at ?? "", due_at: (r) => r.due_at ?? "",
};

/** The invoices the signed-in actor may see (scope from the actor, in the domain), with the page's filters. */
async function rows(c: ConsoleRequest): Promise<InvoiceRow[]> {
  const f = filters(c, ["period", "status", "currency", "brand_id"]);
  const scope = invoiceScope(c.auth!.actor);
  const list = await listInvoices(c.ctx, {
    period: f.period && PERIOD_RE.test(f.period) ? f.period : undefined,
    status: f.status === "issued" || f.status === "paid" || f.status === "void" ? f.status : undefined,
    currency: f.currency && /^[A-Z]{3}$/.test(f.currency) ? f.currency : undefined,
    brand_id: f.brand_id,
  }, scope);
  const names = scope.brandId ? new Map<string, string>() : new Map((await listBrands(c.ctx)).map((b) => [b.id, b.name]));
  return list.map((i) => ({ ...i, brand_name: names.get(i.brand_id) ?? "" }));
}

async function list(c: ConsoleRequest, who: "admin" | "brand") {
  const all = await rows(c);
  const zone = c.ctx.config.NETWORK_TIMEZONE;
  if (wantsCsv(c)) {
    return csvResponse("invoices.csv", ["number", "period", ...(who === "admin" ? ["brand_id", "brand"] : []), "currency", "total", "status", "issued", "due", "paid", "payment_reference", "void_reason"],
      all.map((i) => [i.number, i.period, ...(who === "admin" ? [i.brand_id, i.brand_name] : []), i.currency, i.total, i.status, zoned(i.issued_at, zone), zoned(i.due_at, zone), zoned(i.paid_at, zone), i.payment_reference, i.void_reason]));
  }
  const l = listing(c, all, SORTS, { sort: "number", dir: "desc" });
  const periods = who === "admin" ? (await listSettlements(c.ctx)).map((s) => s.period as string) : [...new Set(all.map((i) => i.period))].sort().reverse();
  const brands = who === "admin" ? (await listBrands(c.ctx)).map((b) => ({ id: b.id, name: b.name })).sort((a, b) => a.name.localeCompare(b.name)) : [];
  return render(c, "Invoices", invoicesView({
    who, invoices: l.rows, total: l.total, nextCursor: l.nextCursor, zone, csvHref: csvHref(c), periods, brands,
    currencies: [...new Set(all.map((i) => i.currency))].sort(),
    state: { path: c.url.pathname, params: c.url.searchParams, sort: l.sort, dir: l.dir },
  }));
}

async function detail(c: ConsoleRequest, extra: { errors?: FieldErrors; values?: Record<string, string> } = {}, status = 200) {
  const scope = invoiceScope(c.auth!.actor);
  const { row, lines } = await getInvoice(c.ctx, c.params.id!, scope);
  const same = await listInvoices(c.ctx, { period: row.period, brand_id: row.brandId }, scope);
  const by = same.find((i) => i.replaces_id === row.id);
  const prev = row.replacesId ? same.find((i) => i.id === row.replacesId) : undefined;
  const brand = (await listBrands(c.ctx)).find((b) => b.id === row.brandId);
  return render(c, `Invoice ${row.number}`, invoiceDetailView({
    invoice: serializeInvoice(row, lines), brandName: brand?.name ?? row.brandId, csrf: c.auth!.session.csrfToken, zone: c.ctx.config.NETWORK_TIMEZONE,
    replacedBy: by ? { id: by.id, number: by.number } : null, replaces: prev ? { id: prev.id, number: prev.number } : null, ...extra,
  }), status);
}

function fieldError(e: unknown, field: string): FieldErrors {
  if (e instanceof AppError && e.status < 500) return e.fields ?? { [field]: [e.message] };
  throw e;
}

async function pdf(c: ConsoleRequest) {
  const f = await invoicePdf(c.ctx, c.params.id!, invoiceScope(c.auth!.actor));
  return fileResponse(f.bytes, "application/pdf", f.filename);
}

/** Admin: invoices with filters, a detail with mark paid / void; brand: its own invoices and their PDFs. */
export const invoiceRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/invoices", access: ["admin"], handler: (c) => list(c, "admin") },
  { method: "GET", path: "/admin/invoices/{id}", access: ["admin"], handler: (c) => detail(c) },
  { method: "GET", path: "/admin/invoices/{id}/pdf", access: ["admin"], handler: pdf },
  { method: "POST", path: "/admin/invoices/{id}/mark-paid", access: ["admin"], handler: async (c) => {
    const values = { reference: c.form?.get("reference") ?? "" };
    const f = parseForm(invoicePaidBody.strip(), new URLSearchParams(values.reference.trim() ? { reference: values.reference } : {}));
    if (!f.ok) return detail(c, { errors: { reference: Object.values(f.errors).flat() }, values }, 422);
    try {
      await markInvoicePaid(c.ctx, c.auth!.actor, c.params.id!, f.data.reference ?? null);
    } catch (e) {
      return detail(c, { errors: fieldError(e, "reference"), values }, (e as AppError).status);
    }
    return redirect(c, `/admin/invoices/${c.params.id}`, [flashCookie("ok", "The invoice is marked paid.")]);
  } },
  { method: "POST", path: "/admin/invoices/{id}/void", access: ["admin"], handler: async (c) => {
    const values = { reason: c.form?.get("reason") ?? "" };
    const f = parseForm(voidInvoiceBody.strip(), c.form);
    if (!f.ok) return detail(c, { errors: f.errors, values }, 422);
    let r: Awaited<ReturnType<typeof voidInvoice>>;
    try {
      r = await voidInvoice(c.ctx, c.auth!.actor, c.params.id!, f.data.reason);
    } catch (e) {
      return detail(c, { errors: fieldError(e, "reason"), values }, (e as AppError).status);
    }
    return redirect(c, `/admin/invoices/${r.replacement.id}`, [flashCookie("ok", `${r.voided.number} is void; it is replaced by ${r.replacement.number}.`)]);
  } },
  { method: "GET", path: "/dashboard/brand/invoices", access: ["brand"], handler: (c) => list(c, "brand") },
  { method: "GET", path: "/dashboard/brand/invoices/{id}/pdf", access: ["brand"], handler: pdf },
];
