import type { Balance } from "../../src/reports/balances";
import type { GroupRow } from "../../src/reports/grouped-stats";
import { conversionRateBps, epcMinor, type Figures, type PeriodKpis } from "../../src/reports/kpis";
import type { MoneyFigures } from "../../src/reports/money-figures";
import { trend, trendText, type PeriodKind, type Trend } from "../../src/reports/periods";
import type { DayPoint } from "../../src/reports/time-series";
import { barChart } from "../components/chart";
import { badge, dataTable, emptyState, type TableState } from "../components/data";
import { kpiPeriodCards, type KpiMetric, type KpiPeriod, type KpiValue } from "../components/kpi-periods";
import { html, type SafeHtml } from "../html";
import { count, localStamp, money, pct } from "./format";

export type OverviewRole = "admin" | "brand" | "publisher";
export interface TopList { id: string; title: string; rows: GroupRow[]; nameLabel: string; empty: string }
export interface PayoutProgress { balances: Balance[]; thresholdMinor: (currency: string) => number; threshold: string }
export interface RecentConversion { id: string; created_at: string | null; brand_order_ref: string; order_value: string; order_currency: string; status: string; payout: string; currency: string; is_test: boolean }
export interface OverviewModel {
  role: OverviewRole; intro: string; timezone: string; recent: RecentConversion[]; recentEmpty: string;
  periods: PeriodKpis[]; series: DayPoint[]; tops: TopList[];
  payout?: PayoutProgress; state: TableState;
}

const TITLES: Record<PeriodKind, [string, string]> = {
  today: ["Today", "vs. yesterday at this time"], yesterday: ["Yesterday", "vs. the day before"],
  this_month: ["This month", "vs. last month at this point"], last_month: ["Last month", "vs. the month before"],
};

/** The money figure a role's charts and tables lead with: commission (admin), spend (brand), earnings (publisher). */
function headline(m: MoneyFigures): number {
  return m.role === "admin" ? m.commission : m.role === "brand" ? m.spend : m.earnings;
}
const headlineLabel: Record<OverviewRole, string> = { admin: "Commission", brand: "Spend", publisher: "Earnings" };

const tr = (t: Trend) => ({ text: trendText(t), direction: t.direction });
function moneyValues(p: PeriodKpis, pick: (m: MoneyFigures) => number | undefined): KpiValue[] {
  return p.current.money.flatMap((m) => {
    const v = pick(m);
    if (v === undefined) return [];
    const prev = p.previous.money.find((x) => x.currency === m.currency);
    return [{ text: money(v, m.currency), trend: tr(trend(v, prev ? pick(prev) ?? 0 : 0)) }];
  });
}
function rateValue(cur: Figures, prev: Figures): KpiValue {
  const a = conversionRateBps(cur.conversions, cur.clicks), b = conversionRateBps(prev.conversions, prev.clicks);
  return { text: pct(a), trend: a === null ? undefined : tr(trend(a, b ?? 0)) };
}
function epcValues(p: PeriodKpis): KpiValue[] {
  return p.current.money.flatMap((m) => {
    if (m.role !== "publisher") return [];
    const e = epcMinor(m.earnings, p.current.clicks);
    if (e === null) return [];
    const prev = p.previous.money.find((x) => x.currency === m.currency);
    const pe = prev?.role === "publisher" ? epcMinor(prev.earnings, p.previous.clicks) ?? 0 : 0;
    return [{ text: money(e, m.currency), trend: tr(trend(e, pe)) }];
  });
}

function metrics(role: OverviewRole, p: PeriodKpis): KpiMetric[] {
  const base: KpiMetric[] = [
    { label: "Clicks", values: [{ text: count(p.current.clicks), trend: tr(p.trends.clicks) }] },
    { label: "Conversions", values: [{ text: count(p.current.conversions), trend: tr(p.trends.conversions) }] },
    { label: "Conversion rate", values: [rateValue(p.current, p.previous)] },
  ];
  switch (role) {
    case "admin": return [...base,
      { label: "Gross commission", values: moneyValues(p, (m) => (m.role === "admin" ? m.commission : undefined)) },
      { label: "Network fee", values: moneyValues(p, (m) => (m.role === "admin" ? m.fee : undefined)) },
      { label: "Publisher payouts", values: moneyValues(p, (m) => (m.role === "admin" ? m.payout : undefined)) }];
    case "brand": return [...base,
      { label: "Sales", values: moneyValues(p, (m) => (m.role === "brand" ? m.sales : undefined)) },
      { label: "Spend (payouts + fee)", values: moneyValues(p, (m) => (m.role === "brand" ? m.spend : undefined)) }];
    case "publisher": return [...base,
      { label: "EPC", values: epcValues(p) },
      { label: "Earnings", values: moneyValues(p, (m) => (m.role === "publisher" ? m.earnings : undefined)) }];
  }
}

function charts(role: OverviewRole, series: DayPoint[]): SafeHtml {
  const currencies = [...new Set(series.flatMap((d) => d.money.map((m) => m.currency)))].sort();
  const moneyCharts = currencies.map((cur) => barChart({
    title: `${headlineLabel[role]} per day (${cur})`, format: (v) => money(v, cur), axisFormat: (v) => money(v, cur).slice(0, -cur.length - 1),
    points: series.map((d) => ({ label: d.day, value: (() => { const m = d.money.find((x) => x.currency === cur); return m ? headline(m) : 0; })() })),
  }));
  return html`<section class="panel charts" id="charts" data-live="conversions"><h2>Last 30 days</h2><div class="chart-grid">
${barChart({ title: "Clicks per day", format: count, points: series.map((d) => ({ label: d.day, value: d.clicks })) })}
${barChart({ title: "Conversions per day", format: count, points: series.map((d) => ({ label: d.day, value: d.conversions })) })}
${moneyCharts}</div></section>`;
}

function topTable(role: OverviewRole, t: TopList, state: TableState): SafeHtml {
  return html`<section class="panel" id="${t.id}" data-live="conversions"><h2>${t.title}</h2>${dataTable({
    caption: t.title, rows: t.rows, state, empty: t.empty, emptyTitle: "No clicks this month yet",
    columns: [
      { key: "name", label: t.nameLabel, cell: (r) => r.label },
      { key: "clicks", label: "Clicks", numeric: true, cell: (r) => count(r.clicks) },
      { key: "conversions", label: "Conversions", numeric: true, cell: (r) => count(r.conversions) },
      { key: "cr", label: "CR", numeric: true, cell: (r) => pct(conversionRateBps(r.conversions, r.clicks)) },
      { key: "money", label: headlineLabel[role], numeric: true, cell: (r) => r.money.length ? html`${r.money.map((m, i) => html`${i ? html`<br>` : ""}${money(headline(m), m.currency)}`)}` : "—" },
    ],
  })}</section>`;
}

/** Approved earnings against the payout threshold, per currency; pending and paid beside them. */
function payoutPanel(p: PayoutProgress): SafeHtml {
  const body = p.balances.length === 0
    ? emptyState("earnings", "Earnings appear here once a sale is credited to one of your links. Share your tracking links to start.")
    : html`${p.balances.map((b) => {
      const need = p.thresholdMinor(b.currency);
      const ratio = need <= 0 ? 1 : Math.min(1, b.approved / need);
      const pctDone = Math.floor(ratio * 100);
      return html`<div class="balance">
<dl class="balance-figures"><div><dt>Pending</dt><dd>${money(b.pending, b.currency)}</dd></div><div><dt>Approved</dt><dd>${money(b.approved, b.currency)}</dd></div><div><dt>Paid</dt><dd>${money(b.paid, b.currency)}</dd></div></dl>
<div class="progress" role="progressbar" aria-label="Approved earnings towards the ${money(need, b.currency)} payout threshold" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pctDone}"><span style="width:${pctDone}%"></span></div>
<p class="muted">${ratio >= 1 ? `Payout threshold of ${money(need, b.currency)} reached: approved earnings are paid at the next settlement.` : `${money(need - b.approved, b.currency)} more approved earnings until the ${money(need, b.currency)} payout threshold.`}</p></div>`;
    })}`;
  return html`<section class="panel" id="balance" data-live="conversions"><h2>Your balance</h2>${body}</section>`;
}

function latest(m: OverviewModel): SafeHtml {
  return html`<section class="panel" id="latest" data-live="conversions"><h2>Latest conversions</h2>${dataTable({
    caption: "Latest conversions", rows: m.recent, state: m.state, empty: m.recentEmpty, emptyTitle: "No conversions yet",
    columns: [
      { key: "created_at", label: "When", cell: (r) => r.created_at ? html`<time datetime="${r.created_at}">${localStamp(r.created_at, m.timezone)}</time>` : "" },
      { key: "order", label: "Order", cell: (r) => html`<code>${r.brand_order_ref}</code>` },
      { key: "value", label: "Sale", numeric: true, cell: (r) => `${r.order_value} ${r.order_currency}` },
      { key: "payout", label: m.role === "publisher" ? "Your earnings" : "Commission", numeric: true, cell: (r) => `${r.payout} ${r.currency}` },
      { key: "status", label: "Status", cell: (r) => html`${badge(r.status)}${r.is_test ? html` <span class="badge">test</span>` : ""}` },
    ],
  })}</section>`;
}

/** An overview page: KPI cards per period, 30-day charts, top lists (and the publisher's balance). */
export function overviewView(m: OverviewModel): SafeHtml {
  const periods: KpiPeriod[] = m.periods.map((p) => ({ title: TITLES[p.kind][0], compare: TITLES[p.kind][1], metrics: metrics(m.role, p) }));
  return html`<div class="page-head"><h1>Overview</h1><p class="muted">${m.intro} Days and months in ${m.timezone}; live sales only (test conversions are left out).</p></div>
${m.payout ? payoutPanel(m.payout) : ""}
${kpiPeriodCards(periods, { id: "kpis", live: true })}
${charts(m.role, m.series)}
${latest(m)}
<div class="top-grid">${m.tops.map((t) => topTable(m.role, t, m.state))}</div>`;
}
