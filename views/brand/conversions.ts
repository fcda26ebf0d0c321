import { REVERSAL_WINDOW_DAYS } from "../../src/conversions/review";
import type { ConversionRow } from "../../src/conversions/serialize";
import { DAY_MS } from "../../src/shared/clock";
import { badge, dataTable, filterBar, type TableState } from "../components/data";
import { csrfField, field, select, type Errors } from "../components/form";
import { pageNumbers } from "../components/paging";
import { money, when } from "../components/when";
import { html, type SafeHtml } from "../html";
import { testBadge } from "../admin/conversions";

type Named = { id: string; name: string };
export interface BrandConversionsView {
  rows: ConversionRow[];
  programs: Named[];
  publishers: Named[];
  state: TableState;
  page: number;
  hasNext: boolean;
  csrf: string;
  tz: string;
  now: number;
  filterErrors?: Errors;
  /** A reverse that failed validation: the row and its field error. */
  rowError?: { id: string; errors: Errors; reason: string };
}

const nameOf = (list: Named[], id: string | null) => (id ? list.find((x) => x.id === id)?.name ?? "" : null);

/** The reverse button only where the domain would allow it: pending or approved, within the window from insert. */
export const brandMayReverse = (r: ConversionRow, now: number) =>
  (r.status === "pending" || r.status === "approved") && r.createdAt >= now - REVERSAL_WINDOW_DAYS * DAY_MS;

/** One reason field per row, with ids unique on the page and its error next to it. */
function reasonField(id: string, err: BrandConversionsView["rowError"] | null): SafeHtml {
  const f = `f-reason-${id}`, errs = err?.errors?.reason ?? [];
  return html`<div class="field${errs.length ? " has-error" : ""}"><label for="${f}">Reason</label>
<input id="${f}" name="reason" type="text" maxlength="500" value="${err?.reason ?? ""}" aria-describedby="${f}-hint${errs.length ? ` ${f}-err` : ""}"${errs.length ? html` aria-invalid="true"` : ""}>
<p class="hint" id="${f}-hint">Refund, chargeback or fraud.</p>${errs.length ? html`<p class="error" id="${f}-err">${errs.join("; ")}</p>` : ""}</div>`;
}

function reverseCell(r: ConversionRow, v: BrandConversionsView): SafeHtml | string {
  if (!brandMayReverse(r, v.now)) return r.reversalReason ? html`<span class="small">${r.reversalReason}</span>` : "";
  const err = v.rowError?.id === r.id ? v.rowError : null;
  const back = v.state.params.toString();
  return html`<details class="row-reverse"${err ? html` open` : ""}><summary>Reverse…</summary>
<form method="post" action="/dashboard/brand/conversions/${r.id}/reverse${back ? `?${back}` : ""}" novalidate>${csrfField(v.csrf)}
${reasonField(r.id, err)}
<button type="submit" class="small danger">Reverse order ${r.brandOrderRef}</button></form></details>`;
}

/**
 * What a brand sees of money, per SPEC §8: the sale as it sent it and the
 * commission, which is what it owes per conversion (publisher payout + network
 * fee together). It never sees how that commission splits between the
 * publisher and the network, nor the publisher's payout details.
 */
export function brandConversionsView(v: BrandConversionsView): SafeHtml {
  const p = v.state.params, val = (k: string) => p.get(k) ?? "";
  const filters = filterBar({ path: "/dashboard/brand/conversions", csvHref: `/dashboard/brand/conversions.csv${p.toString() ? `?${p}` : ""}`, controls: html`
${field({ name: "q", label: "Order ref", value: val("q"), type: "search" })}
${select({ name: "status", label: "Status", value: val("status"), options: [{ value: "", label: "Any status" }, ...["pending", "approved", "reversed", "paid"].map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) }))] })}
${select({ name: "program_id", label: "Program", value: val("program_id"), options: [{ value: "", label: "All programs" }, ...v.programs.map((x) => ({ value: x.id, label: x.name }))] })}
${select({ name: "test", label: "Live / test", value: val("test"), options: [{ value: "", label: "Live and test" }, { value: "live", label: "Live only" }, { value: "test", label: "Test only" }] })}
${field({ name: "from", label: "From", type: "date", value: val("from"), errors: v.filterErrors })}
${field({ name: "to", label: "To", type: "date", value: val("to"), errors: v.filterErrors })}` });
  const table = dataTable({
    caption: "Conversions", rows: v.rows, state: v.state, rowId: (r) => `conv-${r.id}`,
    empty: html`Your shop reports sales with <code>POST /api/conv</code> using a key from <a href="/dashboard/brand/keys">API keys</a>, or through a platform set up under <a href="/dashboard/brand/integrations">Integrations</a>; they show here as they arrive.`,
    columns: [
      { key: "created_at", label: "When", sortable: true, cell: (r) => when(r.createdAt, v.tz) },
      { key: "order", label: "Order", cell: (r) => html`<code class="ref" title="${r.brandOrderRef}">${r.brandOrderRef}</code>${testBadge(r.isTest)}` },
      { key: "program", label: "Program", cell: (r) => nameOf(v.programs, r.programId) },
      { key: "publisher", label: "Publisher", cell: (r) => nameOf(v.publishers, r.publisherId) ?? html`<span class="muted">not credited</span>` },
      { key: "order_value", label: "Sale", numeric: true, sortable: true, cell: (r) => money(r.orderValueMinor, r.orderCurrency) },
      { key: "commission", label: "Commission owed", numeric: true, sortable: true, cell: (r) => money(r.commissionMinor, r.currency) },
      { key: "status", label: "Status", sortable: true, cell: (r) => badge(r.status) },
      { key: "reverse", label: "Reversal", cell: (r) => reverseCell(r, v) },
    ],
  });
  return html`<div class="page-head"><h1>Conversions</h1><p class="muted">Sales your programs recorded. The commission is what you owe per conversion (publisher payout and network fee). You can reverse a conversion for ${REVERSAL_WINDOW_DAYS} days after it was recorded. Times in ${v.tz}.</p></div>
<section class="panel">${filters}</section>
<section class="panel"><div id="brand-conversions" class="conv-table" data-live="conversions">${table}
${pageNumbers({ path: v.state.path, params: v.state.params, page: v.page, hasNext: v.hasNext })}</div></section>`;
}
