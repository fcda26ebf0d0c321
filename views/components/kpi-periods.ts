import { html, type SafeHtml } from "../html";

export interface KpiValue { text: string; trend?: { text: string; direction: "up" | "down" | "flat" } }
export interface KpiMetric { label: string; values: KpiValue[] }
export interface KpiPeriod { title: string; compare: string; metrics: KpiMetric[] }

/**
 * KPI cards, one per period (today, yesterday, this month, last month): each
 * metric with its value(s) (one line per currency, never summed across) and the
 * trend against the period named in `compare`.
 */
export function kpiPeriodCards(periods: KpiPeriod[], attrs: { id: string; live?: boolean }): SafeHtml {
  return html`<section class="kpi-periods" id="${attrs.id}"${attrs.live ? html` data-live="conversions"` : ""} aria-label="Key figures">${periods.map((p) => html`<article class="kpi-period">
<header><h2>${p.title}</h2><p class="muted">${p.compare}</p></header>
<dl>${p.metrics.map((m) => html`<div class="kpi-row"><dt>${m.label}</dt><dd>${m.values.length === 0 ? html`<span class="kpi-num muted">—</span>` : m.values.map((v) => html`<span class="kpi-num">${v.text}</span>${v.trend ? html`<span class="trend trend-${v.trend.direction}" title="${p.compare}">${v.trend.text}</span>` : ""}`)}</dd></div>`)}</dl>
</article>`)}</section>`;
}
