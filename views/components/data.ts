import { html, type SafeHtml } from "../html";

/** `secondary`: a column a narrower screen can do without (hidden below 1100 px; the detail page shows it). */
export interface Column<R> { key: string; label: string; sortable?: boolean; numeric?: boolean; secondary?: boolean; cell: (row: R) => SafeHtml | string | number | null }

function cellClass<R>(c: Column<R>): SafeHtml | string {
  const cls = [c.numeric ? "num" : "", c.secondary ? "col-secondary" : ""].filter(Boolean).join(" ");
  return cls ? html` class="${cls}"` : "";
}
export interface TableState { path: string; params: URLSearchParams; sort?: string; dir?: "asc" | "desc" }

/** The same page with some query parameters changed (undefined removes one). */
export function withParams(path: string, params: URLSearchParams, change: Record<string, string | undefined>): string {
  const p = new URLSearchParams(params);
  for (const [k, v] of Object.entries(change)) v === undefined ? p.delete(k) : p.set(k, v);
  const q = p.toString();
  return q ? `${path}?${q}` : path;
}

/**
 * A data table: sortable column headers are links (?sort=key&dir=asc|desc,
 * aria-sort on the current one), numbers right-aligned, and an empty state
 * that says what to do next. Scrolls sideways on a phone.
 */
/** `empty`: what to do next when there is nothing yet; a filtered list says so and offers a reset unless `filteredEmpty` is true (the page's own `empty` covers both). */
export function dataTable<R>(o: { caption: string; columns: Column<R>[]; rows: R[]; state: TableState; empty: SafeHtml | string; filteredEmpty?: boolean; emptyTitle?: string; rowId?: (r: R) => string }): SafeHtml {
  if (o.rows.length === 0) return filtered(o.state.params) && !o.filteredEmpty ? noMatch(o.state.path) : emptyState(o.caption, o.empty, o.emptyTitle);
  const head = o.columns.map((c) => {
    const cls = cellClass(c);
    if (!c.sortable) return html`<th scope="col"${cls}>${c.label}</th>`;
    const current = o.state.sort === c.key;
    const nextDir = current && o.state.dir === "asc" ? "desc" : "asc";
    const aria = current ? html` aria-sort="${o.state.dir === "asc" ? "ascending" : "descending"}"` : "";
    const arrow = current ? (o.state.dir === "asc" ? " ▲" : " ▼") : "";
    return html`<th scope="col"${cls}${aria}><a href="${withParams(o.state.path, o.state.params, { sort: c.key, dir: nextDir, cursor: undefined })}">${c.label}${arrow}</a></th>`;
  });
  return html`<div class="table-wrap"><table class="data"><caption class="sr-only">${o.caption}</caption>
<thead><tr>${head}</tr></thead>
<tbody>${o.rows.map((r) => html`<tr${o.rowId ? html` id="${o.rowId(r)}"` : ""}>${o.columns.map((c) => html`<td${cellClass(c)}>${c.cell(r)}</td>`)}</tr>`)}</tbody>
</table></div>`;
}

/** Filter bar: a GET form over the table (inputs given by the page), with apply and reset. */
export function filterBar(o: { path: string; controls: SafeHtml; csvHref?: string }): SafeHtml {
  return html`<form class="filters" method="get" action="${o.path}" role="search">${o.controls}
<div class="filter-actions"><button type="submit">Apply</button><a href="${o.path}">Reset</a>${o.csvHref ? html`<a class="csv" href="${o.csvHref}" download>Export CSV</a>` : ""}</div></form>`;
}

/** Pager for cursor-paged lists: "Newer" goes back to the first page, "Older" follows the cursor. */
export function pager(o: { path: string; params: URLSearchParams; nextCursor: string | null }): SafeHtml {
  const first = o.params.has("cursor");
  if (!first && !o.nextCursor) return html``;
  return html`<nav class="pager" aria-label="Pages">
${first ? html`<a href="${withParams(o.path, o.params, { cursor: undefined })}">← Newest</a>` : html`<span></span>`}
${o.nextCursor ? html`<a href="${withParams(o.path, o.params, { cursor: o.nextCursor })}">Older →</a>` : ""}</nav>`;
}

export interface Kpi { label: string; value: string; trend?: { text: string; direction: "up" | "down" | "flat" } }
/** KPI cards: a value, its label, and an optional trend against the previous period. */
export function kpiCards(items: Kpi[]): SafeHtml {
  return html`<div class="kpis">${items.map((k) => html`<div class="kpi"><div class="kpi-value">${k.value}</div><div class="kpi-label">${k.label}</div>${k.trend ? html`<div class="trend trend-${k.trend.direction}">${k.trend.text}</div>` : ""}</div>`)}</div>`;
}

/** Query parameters that narrow a list (sorting and paging only reorder it). */
const NOT_FILTERS = new Set(["sort", "dir", "cursor", "page"]);
const filtered = (params: URLSearchParams) => [...params].some(([k, v]) => v !== "" && !NOT_FILTERS.has(k));

/** A filtered list with no rows: say so, and the way back to all of them (not "nothing yet", which may be untrue). */
function noMatch(path: string): SafeHtml {
  return html`<div class="empty"><p class="empty-title">Nothing matches these filters</p><p><a href="${path}">Reset the filters</a> to see everything, or widen the date range.</p></div>`;
}

/** "No <caption> yet" and the next step; `title` replaces the heading where the caption does not read well in it. */
export function emptyState(caption: string, next: SafeHtml | string, title?: string): SafeHtml {
  return html`<div class="empty"><p class="empty-title">${title ?? `No ${caption.toLowerCase()} yet`}</p><p>${next}</p></div>`;
}

export const badge = (status: string) => html`<span class="badge badge-${status}">${status}</span>`;
