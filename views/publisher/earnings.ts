import type { RowClick } from "../../src/conversions/conversion-clicks";
import type { Balance } from "../../src/conversions/balances";
import type { ConversionRow } from "../../src/conversions/serialize";
import { badge, dataTable, filterBar, type TableState } from "../components/data";
import { field, select, type Errors } from "../components/form";
import { pageNumbers } from "../components/paging";
import { money, when } from "../components/when";
import { html, type SafeHtml } from "../html";

type Named = { id: string; name: string };
export interface EarningsView {
  rows: ConversionRow[];
  subIds: Map<string, RowClick>;
  balances: Balance[];
  programs: Named[];
  state: TableState;
  page: number;
  hasNext: boolean;
  tz: string;
  filterErrors?: Errors;
}

function balances(list: Balance[]): SafeHtml {
  if (list.length === 0) return html`<div id="publisher-balances" data-live="conversions" class="kpis"><div class="kpi"><div class="kpi-value">0.00</div><div class="kpi-label">Pending, approved and paid earnings appear here with your first credited sale</div></div></div>`;
  return html`<div id="publisher-balances" data-live="conversions" class="kpis">${list.map((b) => html`
<div class="kpi"><div class="kpi-value">${money(b.pendingMinor, b.currency)}</div><div class="kpi-label">Pending: awaiting review</div></div>
<div class="kpi"><div class="kpi-value">${money(b.approvedMinor, b.currency)}</div><div class="kpi-label">Approved: paid at the next payout</div></div>
<div class="kpi"><div class="kpi-value">${money(b.paidMinor, b.currency)}</div><div class="kpi-label">Paid</div></div>`)}</div>`;
}

const subs = (k: RowClick | undefined) => {
  if (!k) return html`<span class="muted">—</span>`;
  const s = [k.sub1, k.sub2, k.sub3, k.sub4, k.sub5].map((v, i) => (v ? `sub${i + 1}=${v}` : "")).filter(Boolean);
  return s.length ? html`<code class="small">${s.join(" ")}</code>` : html`<span class="muted">—</span>`;
};

/** A publisher's credited conversions: its payout only (never the commission or the network fee). */
export function earningsView(v: EarningsView): SafeHtml {
  const p = v.state.params, val = (k: string) => p.get(k) ?? "";
  const filters = filterBar({ path: "/dashboard/publisher/earnings", csvHref: `/dashboard/publisher/earnings.csv${p.toString() ? `?${p}` : ""}`, controls: html`
${select({ name: "status", label: "Status", value: val("status"), options: [{ value: "", label: "Any status" }, ...["pending", "approved", "reversed", "paid"].map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) }))] })}
${select({ name: "program_id", label: "Program", value: val("program_id"), options: [{ value: "", label: "All programs" }, ...v.programs.map((x) => ({ value: x.id, label: x.name }))] })}
${field({ name: "from", label: "From", type: "date", value: val("from"), errors: v.filterErrors })}
${field({ name: "to", label: "To", type: "date", value: val("to"), errors: v.filterErrors })}` });
  const nameOf = (id: string) => v.programs.find((x) => x.id === id)?.name ?? "";
  const table = dataTable({
    caption: "Earnings", rows: v.rows, state: v.state, rowId: (r) => `earning-${r.id}`,
    empty: html`Sales credited to your links show here as they happen. <a href="/dashboard/publisher/programs">Apply to programs</a>, then share your tracking links (the <a href="/dashboard/publisher/links">link builder</a> adds sub-ids) to start earning.`,
    columns: [
      { key: "created_at", label: "Date", sortable: true, cell: (r) => when(r.createdAt, v.tz) },
      { key: "program", label: "Program", cell: (r) => nameOf(r.programId) },
      { key: "order", label: "Order", cell: (r) => html`<code class="ref" title="${r.brandOrderRef}">${r.brandOrderRef}</code>` },
      { key: "subs", label: "Sub-ids", cell: (r) => subs(v.subIds.get(r.clickId ?? "")) },
      { key: "payout", label: "Your payout", numeric: true, sortable: true, cell: (r) => money(r.publisherPayoutMinor, r.currency) },
      { key: "status", label: "Status", sortable: true, cell: (r) => badge(r.status) },
      { key: "reason", label: "Reversal reason", cell: (r) => r.reversalReason ?? "" },
    ],
  });
  return html`<div class="page-head"><h1>Earnings</h1><p class="muted">Sales credited to you. Pending sales are reviewed by the network; reversed ones (refunds, chargebacks) pay nothing. Times in ${v.tz}.</p></div>
${balances(v.balances)}
<section class="panel">${filters}</section>
<section class="panel"><div id="publisher-earnings" class="conv-table" data-live="conversions">${table}
${pageNumbers({ path: v.state.path, params: v.state.params, page: v.page, hasNext: v.hasNext })}</div></section>`;
}
