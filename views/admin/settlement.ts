import type { SettlementSummary } from "../../src/settlement/summary";
import { formatMinor } from "../../src/shared/money";
import { dataTable, filterBar, pager, type TableState } from "../components/data";
import { csrfField, field, formError, type Errors } from "../components/form";
import { amount, statusBadge, when } from "../components/when";
import { html, type SafeHtml } from "../html";

export type CloseRow = SettlementSummary & { status: string };
export interface SettlementView {
  closes: CloseRow[];
  total: number;
  nextCursor: string | null;
  state: TableState;
  csrf: string;
  zone: string;
  csvHref: string;
  /** The suggested period for the form (the last month that has ended). */
  suggested: string;
  values?: Record<string, string>;
  errors?: Errors;
  error?: string | null;
  /** The close just run from the form: created now, or the same summary of the one close. */
  result?: { created: boolean; summary: SettlementSummary } | null;
  /** The close whose summary is opened (?period=). */
  open?: CloseRow | null;
}

const m = (minor: number, ccy: string) => amount(formatMinor(minor, ccy), ccy);

/** One close's summary: counts, then per currency (never added across currencies). */
export function summaryBlock(s: SettlementSummary, zone: string): SafeHtml {
  return html`<dl class="facts-row">
<div><dt>Period</dt><dd>${s.period} <span class="muted small">(${s.timezone})</span></dd></div>
<div><dt>Closed</dt><dd>${when(s.closed_at, zone, true)}</dd></div>
<div><dt>Conversions settled</dt><dd>${s.conversions_settled}</dd></div>
<div><dt>Adjustments</dt><dd>${s.adjustments_settled}</dd></div>
</dl>
${s.currencies.length === 0 ? html`<p class="muted">Nothing to invoice or pay in this period.</p>` : html`<div class="table-wrap"><table class="data summary-table"><caption class="sr-only">Totals per currency</caption>
<thead><tr><th scope="col">Currency</th><th scope="col" class="num">Conversions</th><th scope="col" class="num">Invoiced</th><th scope="col" class="num">Publisher payouts</th><th scope="col" class="num">Network fee</th><th scope="col" class="num">Adjustments</th><th scope="col" class="num">Scheduled</th><th scope="col" class="num">Carried</th><th scope="col" class="num">On hold</th></tr></thead>
<tbody>${s.currencies.map((c) => html`<tr><th scope="row">${c.currency}</th><td class="num">${c.conversions}</td>
<td class="num">${m(c.invoiced_minor, c.currency)}<div class="muted small">${c.invoices} invoice(s)</div></td>
<td class="num">${m(c.publisher_payouts_minor, c.currency)}</td><td class="num">${m(c.network_fee_minor, c.currency)}</td><td class="num">${m(c.adjustments_minor, c.currency)}</td>
${(["scheduled", "carried", "on_hold"] as const).map((k) => html`<td class="num">${m(c.payouts[k].amount_minor, c.currency)}<div class="muted small">${c.payouts[k].count} payout(s)</div></td>`)}</tr>`)}</tbody></table></div>`}
<p class="small audit">Audit hash <code class="hash">${s.audit_hash}</code></p>
<p class="small"><a href="/admin/payouts?period=${s.period}">Payouts of ${s.period}</a> · <a href="/admin/invoices?period=${s.period}">Invoices of ${s.period}</a></p>`;
}

export function settlementView(v: SettlementView): SafeHtml {
  const val = v.values ?? {};
  const r = v.result;
  return html`<div class="page-head"><h1>Settlement</h1><p class="muted">Each month is closed once: approved conversions become publisher payouts and brand invoices. The scheduler closes the last month on the 1st (${v.zone}); you can close it here too. Legal and bank details for invoices are in <a href="/admin/settings">Settings</a>.</p></div>
${r ? html`<section class="panel close-result" id="close-result" role="status"><h2>${r.created ? html`Closed ${r.summary.period}` : html`${r.summary.period} was already closed`}</h2>
${r.created ? html`<p>The close settled the period just now. Running it again changes nothing and shows this same summary.</p>` : html`<p>Nothing was settled twice: this is the summary of the one close of ${r.summary.period}.</p>`}
${summaryBlock(r.summary, v.zone)}</section>` : ""}
<section class="panel"><h2>Close a period</h2>
${formError(v.error)}
<form method="post" action="/admin/settlement" class="grid-form close-form" novalidate>${csrfField(v.csrf)}
${field({ name: "period", label: "Month (YYYY-MM)", value: val.period ?? v.suggested, errors: v.errors, required: true, hint: "Only a month that has ended; months close in order." })}
<div class="form-actions"><button type="submit" class="primary">Close period</button></div>
</form></section>
${v.open && !r ? html`<section class="panel" id="close-${v.open.period}"><h2>Summary of ${v.open.period}</h2>${v.open.status === "closed" ? summaryBlock(v.open, v.zone) : html`<p>This close is still running (${v.open.status}); it finishes by itself or on the next start.</p>`}</section>` : ""}
<section class="panel" id="settlement-closes" data-live="conversions"><h2>Closes <span class="count">${v.total}</span></h2>
${filterBar({ path: "/admin/settlement", csvHref: v.csvHref, controls: html`${field({ name: "from", label: "From month", value: v.state.params.get("from") ?? "", hint: "YYYY-MM" })}${field({ name: "to", label: "To month", value: v.state.params.get("to") ?? "", hint: "YYYY-MM" })}` })}
${dataTable({
    caption: "Closes", rows: v.closes, state: v.state, rowId: (c) => `close-row-${c.period}`,
    empty: "Close the first month with the form above once it has ended; the scheduler does it on the 1st.",
    columns: [
      { key: "period", label: "Period", sortable: true, cell: (c) => html`<a href="/admin/settlement?period=${c.period}">${c.period}</a>` },
      { key: "status", label: "Status", cell: (c) => statusBadge(c.status) },
      { key: "closed_at", label: "Closed", sortable: true, cell: (c) => when(c.closed_at, v.zone, true) },
      { key: "conversions", label: "Conversions", numeric: true, sortable: true, cell: (c) => c.conversions_settled ?? "" },
      { key: "adjustments", label: "Adjustments", numeric: true, cell: (c) => c.adjustments_settled ?? "" },
      { key: "invoiced", label: "Invoiced", numeric: true, cell: (c) => html`${(c.currencies ?? []).map((x) => html`<div>${m(x.invoiced_minor, x.currency)}</div>`)}` },
      { key: "payouts", label: "Payouts scheduled", numeric: true, cell: (c) => html`${(c.currencies ?? []).map((x) => html`<div>${m(x.payouts.scheduled.amount_minor, x.currency)}</div>`)}` },
      { key: "hash", label: "Audit hash", cell: (c) => c.audit_hash ? html`<code class="hash" title="${c.audit_hash}">${c.audit_hash.slice(0, 12)}…</code>` : "" },
    ],
  })}
${pager({ path: "/admin/settlement", params: v.state.params, nextCursor: v.nextCursor })}
</section>`;
}
