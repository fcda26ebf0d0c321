import type { serializePayout } from "../../src/settlement/serialize";
import { dataTable, filterBar, pager, type TableState } from "../components/data";
import { csrfField, field, select } from "../components/form";
import { amount, statusBadge, when, whenStacked } from "../components/when";
import { html, type SafeHtml } from "../html";

export type PayoutRow = ReturnType<typeof serializePayout> & { publisher_name: string };
export interface PayoutsView {
  payouts: PayoutRow[];
  total: number;
  nextCursor: string | null;
  state: TableState;
  csrf: string;
  zone: string;
  csvHref: string;
  publishers: { id: string; name: string }[];
  periods: string[];
  currencies: string[];
  methods: readonly string[];
  /** PayPal parts per currency for the export buttons of the chosen period (5,000 rows per file). */
  paypalParts: { currency: string; parts: number }[];
  bulkError?: string | null;
  uploadError?: string | null;
  /** The outcome of an uploaded results file, row by row. */
  uploaded?: { paid: number; failed: number; unchanged: number; errors: number; results: { payout_id: string; outcome: string; message?: string }[] } | null;
}

const opts = (xs: readonly string[], all: string) => [{ value: "", label: all }, ...xs.map((x) => ({ value: x, label: x.replace("_", " ") }))];

function exportPanel(v: PayoutsView): SafeHtml {
  const period = v.state.params.get("period");
  if (!period) return html`<p class="muted">Choose a period in the filters to export its scheduled payouts as a payout file.</p>`;
  const currency = v.state.params.get("currency");
  const ccys = currency ? [currency] : v.currencies;
  const link = (method: string, ccy: string, label: string, part?: number) =>
    html`<a class="button secondary" href="/admin/payouts/export?period=${period}&method=${method}&currency=${ccy}${part ? `&part=${part}` : ""}" download>${label}</a>`;
  if (ccys.length === 0) return html`<p class="muted">No payouts in ${period} to export.</p>`;
  return html`<div class="export-grid">${ccys.map((ccy) => {
    const parts = v.paypalParts.find((p) => p.currency === ccy)?.parts ?? 1;
    return html`<div class="export-row"><strong>${ccy}</strong>
${parts > 1 ? Array.from({ length: parts }, (_, i) => link("paypal", ccy, `PayPal part ${i + 1}/${parts}`, i + 1)) : link("paypal", ccy, "PayPal Payouts")}
${link("wise", ccy, "Wise batch")}${link("generic", ccy, "Generic (ACH, USDT, …)")}</div>`;
  })}</div><p class="hint small">Files list the period's <em>scheduled</em> payouts; the payout id is each row's reference, so the provider's results map back.</p>`;
}

export function payoutsView(v: PayoutsView): SafeHtml {
  const p = v.state.params;
  return html`<div class="page-head"><h1>Payouts</h1><p class="muted">One payout per publisher per currency per closed month. Mark scheduled payouts paid with the bank or PayPal reference, or failed (the amount returns to the publisher's balance).</p></div>
<section class="panel" id="payouts" data-live="conversions"><h2>Payouts <span class="count">${v.total}</span></h2>
${filterBar({ path: "/admin/payouts", csvHref: v.csvHref, controls: html`
${select({ name: "period", label: "Period", value: p.get("period") ?? "", options: opts(v.periods, "All periods") })}
${select({ name: "status", label: "Status", value: p.get("status") ?? "", options: opts(["scheduled", "paid", "failed", "on_hold", "carried"], "Any status") })}
${select({ name: "method", label: "Method", value: p.get("method") ?? "", options: opts(v.methods, "Any method") })}
${select({ name: "currency", label: "Currency", value: p.get("currency") ?? "", options: opts(v.currencies, "Any currency") })}
${select({ name: "publisher_id", label: "Publisher", value: p.get("publisher_id") ?? "", options: [{ value: "", label: "All publishers" }, ...v.publishers.map((x) => ({ value: x.id, label: x.name }))] })}` })}
<form method="post" action="/admin/payouts/bulk" id="bulk-form">${csrfField(v.csrf)}
${dataTable({
    caption: "Payouts", rows: v.payouts, state: v.state, rowId: (r) => `payout-${r.id}`,
    empty: v.total === 0 && !p.toString() ? "Payouts appear when a month is closed on the Settlement page." : "No payout matches these filters. Reset them to see all.",
    columns: [
      { key: "pick", label: "", cell: (r) => r.status === "scheduled" ? html`<input type="checkbox" name="id" value="${r.id}" aria-label="Select payout of ${r.publisher_name} ${r.period} ${r.currency}">` : "" },
      { key: "period", label: "Period", sortable: true, cell: (r) => html`<span class="nowrap">${r.period}</span>` },
      { key: "publisher", label: "Publisher", sortable: true, cell: (r) => html`<a href="/admin/payouts/${r.id}">${r.publisher_name}</a>` },
      { key: "amount", label: "Amount", sortable: true, numeric: true, cell: (r) => amount(r.amount, r.currency) },
      { key: "conversions", label: "Conv.", numeric: true, secondary: true, cell: (r) => r.conversions },
      { key: "status", label: "Status", sortable: true, cell: (r) => statusBadge(r.status) },
      { key: "method", label: "Method", sortable: true, secondary: true, cell: (r) => r.method ?? html`<span class="muted">none</span>` },
      { key: "due_at", label: "Due", sortable: true, cell: (r) => whenStacked(r.due_at, v.zone) },
      { key: "reference", label: "Reference", cell: (r) => r.reference ?? (r.failure_reason ? html`<span class="reason">${r.failure_reason}</span>` : html`<span class="muted">—</span>`) },
      { key: "links", label: "Statement", cell: (r) => html`<a href="/admin/payouts/${r.id}/statement.pdf" aria-label="Statement PDF of ${r.publisher_name} ${r.period} ${r.currency}">PDF</a>` },
    ],
  })}
${pager({ path: "/admin/payouts", params: p, nextCursor: v.nextCursor })}
${v.payouts.some((r) => r.status === "scheduled") ? html`<fieldset class="bulk"><legend>Selected scheduled payouts</legend>
${v.bulkError ? html`<p class="error" role="alert">${v.bulkError}</p>` : ""}
<div class="bulk-row">${field({ name: "reference", label: "Payment reference", hint: "Bank or PayPal batch reference" })}<button type="submit" name="action" value="paid" class="primary">Mark paid</button></div>
<div class="bulk-row">${field({ name: "reason", label: "Failure reason" })}<button type="submit" name="action" value="failed" class="danger">Mark failed</button></div>
</fieldset>` : ""}
</form></section>
<section class="panel"><h2>Payout files</h2>${exportPanel(v)}</section>
<section class="panel"><h2>Upload payout results</h2>
<p class="muted small">A CSV with the header <code>payout_id,status,reference,reason</code> (status <code>paid</code> or <code>failed</code>). Each row applies once; uploading it again changes nothing.</p>
${v.uploadError ? html`<div class="flash flash-error" role="alert">${v.uploadError}</div>` : ""}
${v.uploaded ? html`<div class="flash flash-ok upload-result" role="status">${v.uploaded.paid} paid, ${v.uploaded.failed} failed, ${v.uploaded.unchanged} unchanged, ${v.uploaded.errors} with errors.
${v.uploaded.errors ? html`<ul>${v.uploaded.results.filter((r) => r.outcome === "error").slice(0, 50).map((r) => html`<li><code>${r.payout_id}</code>: ${r.message ?? ""}</li>`)}</ul>` : ""}</div>` : ""}
<form method="post" action="/admin/payouts/results" enctype="multipart/form-data" class="upload-form">${csrfField(v.csrf)}
<div class="field"><label for="f-results">Results file (CSV)</label><input id="f-results" type="file" name="file" accept=".csv,text/csv" required></div>
<div class="form-actions"><button type="submit" class="primary">Apply results</button></div></form></section>`;
}

export interface PayoutDetailView { payout: ReturnType<typeof serializePayout> & { lines?: { kind: string; description: string; conversions: number; amount_minor: number }[] }; publisherName: string; lines: { kind: string; description: string; conversions: number; amount: string }[]; csrf: string; zone: string; errors?: Record<string, string[]>; values?: Record<string, string>; statementHref: string; admin: boolean }

/** A payout's lines (programs, adjustments, carried balance) and, for the network, mark paid / failed. */
export function payoutDetailView(v: PayoutDetailView): SafeHtml {
  const p = v.payout;
  const err = v.errors ?? {};
  return html`<div class="page-head"><p class="crumbs">${v.admin ? html`<a href="/admin/payouts?period=${p.period}">Payouts of ${p.period}</a>` : html`<a href="/dashboard/publisher/payouts">Your payouts</a>`}</p>
<h1>Payout ${p.period} · ${p.currency}</h1><p class="muted">${v.publisherName}</p></div>
<section class="panel" id="payout-detail" data-live="conversions">
<dl class="facts-row">
<div><dt>Amount</dt><dd>${amount(p.amount, p.currency)}</dd></div>
<div><dt>Status</dt><dd>${statusBadge(p.status)}</dd></div>
<div><dt>Due</dt><dd>${when(p.due_at, v.zone)}</dd></div>
<div><dt>Method</dt><dd>${p.method ?? "none"}</dd></div>
${p.reference ? html`<div><dt>Reference</dt><dd>${p.reference}</dd></div>` : ""}
${p.failure_reason ? html`<div><dt>Failure reason</dt><dd>${p.failure_reason}</dd></div>` : ""}
</dl>
<div class="table-wrap"><table class="data"><caption class="sr-only">Payout lines</caption><thead><tr><th scope="col">Line</th><th scope="col" class="num">Conversions</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>${v.lines.map((l) => html`<tr><td>${l.kind === "adjustment" ? html`<span class="badge">adjustment</span> ` : l.kind === "carried" ? html`<span class="badge">carried in</span> ` : ""}${l.description}</td><td class="num">${l.kind === "program" ? l.conversions : ""}</td><td class="num">${amount(l.amount, p.currency)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">Total</th><td class="num">${p.conversions}</td><td class="num"><strong>${amount(p.amount, p.currency)}</strong></td></tr></tfoot></table></div>
<p><a class="button secondary" href="${v.statementHref}">Download the PDF statement</a></p></section>
${v.admin && p.status === "scheduled" ? html`<section class="panel"><h2>Record the payment</h2><div class="grid-form">
<form method="post" action="/admin/payouts/${p.id}/mark-paid" class="stack" novalidate>${csrfField(v.csrf)}${field({ name: "reference", label: "Payment reference", value: v.values?.reference, errors: err, required: true })}<div><button type="submit" class="primary">Mark paid</button></div></form>
<form method="post" action="/admin/payouts/${p.id}/mark-failed" class="stack" novalidate>${csrfField(v.csrf)}${field({ name: "reason", label: "Failure reason", value: v.values?.reason, errors: err, required: true })}<div><button type="submit" class="danger">Mark failed</button></div></form>
</div></section>` : ""}`;
}
