import type { serializeInvoice } from "../../src/settlement/serialize";
import { formatMinor } from "../../src/shared/money";
import { dataTable, filterBar, pager, type TableState } from "../components/data";
import { csrfField, field, select, type Errors } from "../components/form";
import { amount, statusBadge, when } from "../components/when";
import { html, type SafeHtml } from "../html";

export type InvoiceRow = ReturnType<typeof serializeInvoice> & { brand_name: string };
export interface InvoicesView {
  /** "admin": the network's list (all brands, actions); "brand": the brand's own invoices. */
  who: "admin" | "brand";
  invoices: InvoiceRow[];
  total: number;
  nextCursor: string | null;
  state: TableState;
  zone: string;
  csvHref: string;
  periods: string[];
  currencies: string[];
  brands: { id: string; name: string }[];
}

const opts = (xs: readonly string[], all: string) => [{ value: "", label: all }, ...xs.map((x) => ({ value: x, label: x }))];
const pdfHref = (who: "admin" | "brand", id: string) => (who === "admin" ? `/admin/invoices/${id}/pdf` : `/dashboard/brand/invoices/${id}/pdf`);

export function invoicesView(v: InvoicesView): SafeHtml {
  const p = v.state.params;
  const path = v.who === "admin" ? "/admin/invoices" : "/dashboard/brand/invoices";
  const intro = v.who === "admin"
    ? "One invoice per brand per currency per closed month, numbered without gaps. A void invoice is never edited: a replacement with a new number is issued."
    : "Your monthly invoices: publisher payouts plus the network fee of your settled conversions. Pay by the due date with the bank details on the PDF.";
  return html`<div class="page-head"><h1>Invoices</h1><p class="muted">${intro}</p></div>
<section class="panel" id="invoices" data-live="conversions"><h2>Invoices <span class="count">${v.total}</span></h2>
${filterBar({ path, csvHref: v.csvHref, controls: html`
${select({ name: "period", label: "Period", value: p.get("period") ?? "", options: opts(v.periods, "All periods") })}
${select({ name: "status", label: "Status", value: p.get("status") ?? "", options: opts(["issued", "paid", "void"], "Any status") })}
${select({ name: "currency", label: "Currency", value: p.get("currency") ?? "", options: opts(v.currencies, "Any currency") })}
${v.who === "admin" ? select({ name: "brand_id", label: "Brand", value: p.get("brand_id") ?? "", options: [{ value: "", label: "All brands" }, ...v.brands.map((b) => ({ value: b.id, label: b.name }))] }) : ""}` })}
${dataTable({
    caption: "Invoices", rows: v.invoices, state: v.state, rowId: (r) => `invoice-${r.id}`,
    empty: p.toString() ? "No invoice matches these filters. Reset them to see all."
      : v.who === "admin" ? "Invoices are issued when a month is closed on the Settlement page." : "Your first invoice is issued on the 1st after a month with settled conversions.",
    columns: [
      { key: "number", label: "Number", sortable: true, cell: (r) => v.who === "admin" ? html`<a href="/admin/invoices/${r.id}">${r.number}</a>` : html`<code>${r.number}</code>` },
      ...(v.who === "admin" ? [{ key: "brand", label: "Brand", sortable: true, cell: (r: InvoiceRow) => r.brand_name }] : []),
      { key: "period", label: "Period", sortable: true, cell: (r) => html`<span class="nowrap">${r.period}</span>` },
      { key: "total", label: "Total", sortable: true, numeric: true, cell: (r) => amount(r.total, r.currency) },
      { key: "status", label: "Status", sortable: true, cell: (r) => statusBadge(r.status) },
      { key: "issued_at", label: "Issued", sortable: true, cell: (r) => when(r.issued_at, v.zone) },
      { key: "due_at", label: "Due", sortable: true, cell: (r) => r.status === "issued" ? when(r.due_at, v.zone) : r.status === "paid" ? html`<span class="muted">paid ${when(r.paid_at, v.zone)}</span>` : html`<span class="muted">void</span>` },
      { key: "pdf", label: "", cell: (r) => html`<a href="${pdfHref(v.who, r.id)}" aria-label="Download ${r.number} as PDF">PDF</a>` },
    ],
  })}
${pager({ path, params: p, nextCursor: v.nextCursor })}
</section>`;
}

export interface InvoiceDetailView {
  invoice: ReturnType<typeof serializeInvoice> & { lines?: { kind: string; description: string; conversions: number; gross_minor: number; payouts_minor: number; fee_minor: number; amount_minor: number }[] };
  brandName: string;
  replacedBy: { id: string; number: string } | null;
  replaces: { id: string; number: string } | null;
  csrf: string;
  zone: string;
  errors?: Errors;
  values?: Record<string, string>;
}

/** An invoice with its lines; an issued one can be marked paid or voided (with a reason) by the network. */
export function invoiceDetailView(v: InvoiceDetailView): SafeHtml {
  const i = v.invoice;
  const m = (minor: number) => amount(formatMinor(minor, i.currency), i.currency);
  return html`<div class="page-head"><p class="crumbs"><a href="/admin/invoices?period=${i.period}">Invoices of ${i.period}</a></p>
<h1>Invoice ${i.number}</h1><p class="muted">${v.brandName} · ${i.period}</p></div>
${v.replacedBy ? html`<div class="flash flash-error" role="status">This invoice is void (${i.void_reason ?? ""}). It was replaced by <a href="/admin/invoices/${v.replacedBy.id}">${v.replacedBy.number}</a>.</div>` : ""}
${v.replaces ? html`<p class="small">Replaces the void invoice <a href="/admin/invoices/${v.replaces.id}">${v.replaces.number}</a>.</p>` : ""}
<section class="panel" id="invoice-detail" data-live="conversions">
<dl class="facts-row">
<div><dt>Total</dt><dd>${amount(i.total, i.currency)}</dd></div>
<div><dt>Status</dt><dd>${statusBadge(i.status)}</dd></div>
<div><dt>Issued</dt><dd>${when(i.issued_at, v.zone)}</dd></div>
<div><dt>Due</dt><dd>${when(i.due_at, v.zone)}</dd></div>
${i.payment_reference ? html`<div><dt>Payment reference</dt><dd>${i.payment_reference}</dd></div>` : ""}
</dl>
<div class="table-wrap"><table class="data"><caption class="sr-only">Invoice lines</caption>
<thead><tr><th scope="col">Line</th><th scope="col" class="num">Conversions</th><th scope="col" class="num">Gross sales</th><th scope="col" class="num">Publisher payouts</th><th scope="col" class="num">Network fee</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>${(i.lines ?? []).map((l) => html`<tr><td>${l.kind === "adjustment" ? html`<span class="badge">adjustment</span> ` : ""}${l.description}</td><td class="num">${l.conversions}</td><td class="num">${m(l.gross_minor)}</td><td class="num">${m(l.payouts_minor)}</td><td class="num">${m(l.fee_minor)}</td><td class="num">${m(l.amount_minor)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">Total</th><td class="num">${i.conversions}</td><td class="num">${m(i.gross_minor)}</td><td class="num">${m(i.payouts_minor)}</td><td class="num">${m(i.fee_minor)}</td><td class="num"><strong>${m(i.total_minor)}</strong></td></tr></tfoot></table></div>
<p><a class="button secondary" href="/admin/invoices/${i.id}/pdf">Download the PDF</a></p></section>
${i.status === "issued" ? html`<section class="panel"><h2>Payment or correction</h2><div class="grid-form">
<form method="post" action="/admin/invoices/${i.id}/mark-paid" class="stack" novalidate>${csrfField(v.csrf)}${field({ name: "reference", label: "Payment reference (optional)", value: v.values?.reference, errors: v.errors })}<div><button type="submit" class="primary">Mark paid</button></div></form>
<form method="post" action="/admin/invoices/${i.id}/void" class="stack" novalidate>${csrfField(v.csrf)}${field({ name: "reason", label: "Reason to void", value: v.values?.reason, errors: v.errors, required: true, hint: "A replacement with the next number is issued with the brand's current billing details." })}<div><button type="submit" class="danger">Void and reissue</button></div></form>
</div></section>` : ""}`;
}
