import { badge, dataTable, kpiCards, type Kpi, type TableState } from "../components/data";
import { html, type SafeHtml } from "../html";

export interface RecentConversion { id: string; created_at: string | null; brand_order_ref: string; order_value: string; order_currency: string; status: string; payout: string; currency: string }

/** An overview: KPI cards and the latest conversions the actor may see. */
export function overviewView(o: { title: string; intro: string; kpis: Kpi[]; recent: RecentConversion[]; state: TableState; payoutLabel: string; empty: SafeHtml | string }): SafeHtml {
  return html`<div class="page-head"><h1>${o.title}</h1><p class="muted">${o.intro}</p></div>
${kpiCards(o.kpis)}
<section class="panel"><h2>Latest conversions</h2>
${dataTable({
    caption: "Conversions", rows: o.recent, state: o.state, empty: o.empty,
    columns: [
      { key: "created_at", label: "When", cell: (r) => r.created_at ? html`<time datetime="${r.created_at}">${r.created_at.slice(0, 16).replace("T", " ")}</time>` : "" },
      { key: "order", label: "Order", cell: (r) => html`<code>${r.brand_order_ref}</code>` },
      { key: "value", label: "Sale", numeric: true, cell: (r) => `${r.order_value} ${r.order_currency}` },
      { key: "payout", label: o.payoutLabel, numeric: true, cell: (r) => `${r.payout} ${r.currency}` },
      { key: "status", label: "Status", cell: (r) => badge(r.status) },
    ],
  })}
</section>`;
}
