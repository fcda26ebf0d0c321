import type { GroupRow } from "../../src/reports/grouped-stats";
import { conversionRateBps, epcMinor } from "../../src/reports/kpis";
import type { StatsPage } from "../../src/reports/publisher-stats";
import { dataTable, filterBar, withParams, type Column } from "../components/data";
import { field, select } from "../components/form";
import { html, type SafeHtml } from "../html";
import { count, money, pct } from "./format";

const GROUP_LABELS: Record<StatsPage["by"], string> = {
  day: "Day", program: "Program", sub1: "Sub-ID 1", sub2: "Sub-ID 2", sub3: "Sub-ID 3", sub4: "Sub-ID 4", sub5: "Sub-ID 5", country: "Country",
};

function keyCell(by: StatsPage["by"], r: GroupRow): SafeHtml | string {
  if (r.key === "") return html`<span class="muted">${by === "country" ? "Unknown" : by === "program" ? "—" : "(none)"}</span>`;
  if (by === "day") return html`<time datetime="${r.key}">${r.key}</time>`;
  if (by.startsWith("sub")) return html`<code>${r.label}</code>`;
  return r.label;
}
const perCurrency = (r: GroupRow, pick: (earnings: number, currency: string) => string | null) => {
  const lines = r.money.flatMap((m) => (m.role === "publisher" ? [pick(m.earnings, m.currency)] : [])).filter((x): x is string => x !== null);
  return lines.length ? html`${lines.map((l, i) => html`${i ? html`<br>` : ""}${l}`)}` : "—";
};

/** Stats by day / program / sub-id / country for a date range, sortable, paged, with CSV export. */
export function publisherStatsView(s: StatsPage, o: { path: string; params: URLSearchParams }): SafeHtml {
  const cols: Column<GroupRow>[] = [
    { key: "key", label: GROUP_LABELS[s.by], sortable: true, cell: (r) => keyCell(s.by, r) },
    { key: "clicks", label: "Clicks", sortable: true, numeric: true, cell: (r) => count(r.clicks) },
    { key: "conversions", label: "Conversions", sortable: true, numeric: true, cell: (r) => count(r.conversions) },
    { key: "cr", label: "CR", sortable: true, numeric: true, cell: (r) => pct(conversionRateBps(r.conversions, r.clicks)) },
    { key: "epc", label: "EPC", numeric: true, cell: (r) => perCurrency(r, (e, c) => { const v = epcMinor(e, r.clicks); return v === null ? null : money(v, c); }) },
    { key: "earnings", label: "Earnings", sortable: true, numeric: true, cell: (r) => perCurrency(r, (e, c) => money(e, c)) },
  ];
  const controls = html`${select({ name: "by", label: "Group by", value: s.by, options: Object.entries(GROUP_LABELS).map(([value, label]) => ({ value, label })) })}
${field({ name: "from", label: "From", type: "date", value: s.from, errors: s.errors })}
${field({ name: "to", label: "To", type: "date", value: s.to, errors: s.errors })}`;
  const csvHref = withParams(`${o.path}.csv`, o.params, { page: undefined });
  const pager = s.pages > 1 ? html`<nav class="pager" aria-label="Pages">
${s.page > 1 ? html`<a href="${withParams(o.path, o.params, { page: String(s.page - 1) })}">← Previous</a>` : html`<span></span>`}
<span class="muted">Page ${s.page} of ${s.pages}</span>
${s.page < s.pages ? html`<a href="${withParams(o.path, o.params, { page: String(s.page + 1) })}">Next →</a>` : html`<span></span>`}</nav>` : "";
  return html`<div class="page-head"><h1>Stats</h1><p class="muted">Your clicks, conversions and earnings from ${s.from} to ${s.to}, grouped by ${GROUP_LABELS[s.by].toLowerCase()}. Live sales only; reversed ones are left out.</p></div>
${filterBar({ path: o.path, controls, csvHref })}
<section class="panel" id="stats-table" data-live="conversions">
${dataTable({ caption: `Stats by ${GROUP_LABELS[s.by]}`, columns: cols, rows: s.rows, state: { path: o.path, params: o.params, sort: s.sort, dir: s.dir },
    emptyTitle: "Nothing in this date range", empty: html`Widen the range, or share your tracking links (add sub1…sub5 to them to split results by placement).`, filteredEmpty: true })}
${pager}
</section>
${s.by === "country" ? html`<p class="credit muted"><a href="https://db-ip.com" rel="noopener">IP geolocation by DB-IP</a>, licensed under <a href="https://creativecommons.org/licenses/by/4.0/" rel="noopener license">CC BY 4.0</a>.</p>` : ""}`;
}
