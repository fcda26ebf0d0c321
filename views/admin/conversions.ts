import type { BulkOutcome } from "../../src/conversions/bulk-review";
import type { ConversionRow } from "../../src/conversions/serialize";
import { badge, dataTable, filterBar, type TableState } from "../components/data";
import { csrfField, field, select, type Errors } from "../components/form";
import { pageNumbers } from "../components/paging";
import { signalBadges, type SignalBadge } from "../components/signals";
import { amount, whenStacked } from "../components/when";
import { formatMinor } from "../../src/shared/money";
import { html, type SafeHtml } from "../html";

const money = (minor: number, currency: string) => amount(formatMinor(minor, currency), currency);

type Named = { id: string; name: string };
export interface QueueView {
  rows: ConversionRow[];
  signals: Map<string, SignalBadge[]>;
  names: { programs: Named[]; publishers: Named[]; brands: Named[] };
  sources: readonly string[];
  state: TableState;
  page: number;
  hasNext: boolean;
  csrf: string;
  tz: string;
  filterErrors?: Errors;
  /** After a bulk action: what happened to each selected conversion. */
  results?: BulkOutcome[] | null;
  bulk?: { errors?: Errors; action?: string; reason?: string };
}

const nameOf = (list: Named[], id: string | null) => (id ? list.find((x) => x.id === id)?.name ?? id : null);
const opt = (list: Named[], all: string) => [{ value: "", label: all }, ...list.map((x) => ({ value: x.id, label: x.name }))];

export const testBadge = (isTest: boolean) => (isTest ? html` <span class="badge badge-test" title="Sent with a test key or test integration: never paid">test</span>` : "");

function filters(v: QueueView): SafeHtml {
  const p = v.state.params, e = v.filterErrors;
  const val = (k: string) => p.get(k) ?? "";
  const csv = `/admin/conversions.csv${p.toString() ? `?${p}` : ""}`;
  return filterBar({ path: "/admin/conversions", csvHref: csv, controls: html`
${field({ name: "q", label: "Order ref or click id", value: val("q"), type: "search" })}
${select({ name: "status", label: "Status", value: val("status"), options: [{ value: "", label: "Any status" }, ...["pending", "approved", "reversed", "paid"].map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) }))] })}
${select({ name: "program_id", label: "Program", value: val("program_id"), options: opt(v.names.programs, "All programs") })}
${select({ name: "publisher_id", label: "Publisher", value: val("publisher_id"), options: opt(v.names.publishers, "All publishers") })}
${select({ name: "brand_id", label: "Brand", value: val("brand_id"), options: opt(v.names.brands, "All brands") })}
${select({ name: "source", label: "Source", value: val("source"), options: [{ value: "", label: "Any source" }, ...v.sources.map((s) => ({ value: s, label: s }))] })}
${select({ name: "test", label: "Live / test", value: val("test"), options: [{ value: "", label: "Live and test" }, { value: "live", label: "Live only" }, { value: "test", label: "Test only" }] })}
${field({ name: "from", label: "From", type: "date", value: val("from"), errors: e })}
${field({ name: "to", label: "To", type: "date", value: val("to"), errors: e })}` });
}

function resultCell(r: BulkOutcome | undefined): SafeHtml | string {
  if (!r) return "";
  return html`<span class="result result-${r.result}">${r.message}</span>`;
}

function bulkBar(v: QueueView): SafeHtml {
  const b = v.bulk ?? {};
  return html`<div class="bulk-bar" role="group" aria-label="Bulk action on the selected conversions">
<span class="bulk-count" aria-live="polite"><span id="bulk-selected">0</span> selected</span>
${select({ name: "action", label: "Action", value: b.action ?? "approve", errors: b.errors, options: [{ value: "approve", label: "Approve" }, { value: "reverse", label: "Reverse" }] })}
${field({ name: "reason", label: "Reason (needed to reverse)", value: b.reason ?? "", errors: b.errors, hint: "Refund, chargeback or fraud: kept in the audit trail." })}
<div class="form-actions"><button type="submit" class="primary">Apply to selected</button></div></div>`;
}

function summary(results: BulkOutcome[]): SafeHtml {
  const n = (k: BulkOutcome["result"]) => results.filter((r) => r.result === k).length;
  const refused = results.filter((r) => r.result === "refused");
  return html`<div class="flash ${refused.length ? "flash-error" : "flash-ok"} bulk-results" role="status">
<strong>${n("done")} changed, ${n("already")} already done, ${refused.length} refused.</strong>
${refused.length ? html`<ul>${refused.map((r) => html`<li><code>${r.orderRef ?? r.id}</code>: ${r.message}</li>`)}</ul>` : ""}</div>`;
}

const SELECT_ALL = "var c=this.checked;this.form.querySelectorAll('input[name=id]').forEach(function(b){b.checked=c});document.getElementById('bulk-selected').textContent=this.form.querySelectorAll('input[name=id]:checked').length";
const COUNT = "document.getElementById('bulk-selected').textContent=this.form.querySelectorAll('input[name=id]:checked').length";

/** The review queue: filters, the bulk bar over a checkbox table, signals per row, numbered pages. */
export function queueView(v: QueueView): SafeHtml {
  const results = new Map((v.results ?? []).map((r) => [r.id, r]));
  const q = v.state.params.toString();
  const table = dataTable({
    caption: "Conversions", rows: v.rows, state: v.state, rowId: (r) => `conv-${r.id}`,
    empty: html`Conversions arrive when brands report sales (<code>POST /api/conv</code> with a brand API key) or their platforms send webhooks. Start with <a href="/admin/programs/new">a program</a>, approve publishers for it, then <a href="/admin/integrations">connect the brand's platform</a> or <a href="/admin/keys">create its API key</a>.`,
    columns: [
      { key: "select", label: "", cell: (r) => html`<input type="checkbox" name="id" value="${r.id}" aria-label="Select order ${r.brandOrderRef}" onchange="${COUNT}">` },
      { key: "created_at", label: "When", sortable: true, cell: (r) => whenStacked(r.createdAt, v.tz) },
      { key: "order", label: "Order", cell: (r) => html`<a href="/admin/conversions/${r.id}" title="Order ${r.brandOrderRef}: open its click, money and history"><code class="ref">${r.brandOrderRef}</code></a>${testBadge(r.isTest)}` },
      { key: "program", label: "Program / brand", cell: (r) => html`${nameOf(v.names.programs, r.programId)}<br><span class="muted small">${nameOf(v.names.brands, r.brandId)}</span>` },
      { key: "publisher", label: "Publisher", cell: (r) => nameOf(v.names.publishers, r.publisherId) ?? html`<span class="muted" title="${r.attributionReason}">none</span>` },
      { key: "order_value", label: "Sale", numeric: true, sortable: true, secondary: true, cell: (r) => money(r.orderValueMinor, r.orderCurrency) },
      { key: "commission", label: "Commission", numeric: true, sortable: true, cell: (r) => html`${money(r.commissionMinor, r.currency)}<br><span class="muted small">fee ${formatMinor(r.networkFeeMinor, r.currency)}</span>` },
      { key: "payout", label: "Payout", numeric: true, sortable: true, cell: (r) => money(r.publisherPayoutMinor, r.currency) },
      // Signals under the status, not in a column of their own: the queue fits a 1280 px screen.
      { key: "status", label: "Status", sortable: true, cell: (r) => {
        const signals = v.signals.get(r.id) ?? [];
        return html`${badge(r.status)}${signals.length ? html`<div class="status-signals">${signalBadges(signals)}</div>` : html`<span class="sr-only" aria-label="No signals">, no fraud signals</span>`}`;
      } },
      ...(v.results ? [{ key: "result", label: "Result", cell: (r: ConversionRow) => resultCell(results.get(r.id)) }] : []),
    ],
  });
  return html`<div class="page-head"><h1>Review queue</h1><p class="muted">Every conversion on the network. Select rows to approve or reverse them; open an order for its click, money and history. Times in ${v.tz}.</p></div>
<section class="panel">${filters(v)}</section>
${v.results ? summary(v.results) : ""}
<form method="post" action="/admin/conversions/bulk${q ? `?${q}` : ""}" class="panel queue" novalidate>${csrfField(v.csrf)}
${v.rows.length ? bulkBar(v) : ""}
${v.rows.length ? html`<label class="select-all"><input type="checkbox" onchange="${SELECT_ALL}"> Select all on this page</label>` : ""}
<div id="admin-conversions" class="conv-table" data-live="conversions">${table}
${pageNumbers({ path: v.state.path, params: v.state.params, page: v.page, hasNext: v.hasNext })}</div>
</form>`;
}
