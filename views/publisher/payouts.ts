import type { PublisherBalance } from "../../src/settlement/publisher-balance";
import { formatMinor } from "../../src/shared/money";
import { dataTable, filterBar, pager, type TableState } from "../components/data";
import { select } from "../components/form";
import { amount, statusBadge, when } from "../components/when";
import { html, type SafeHtml } from "../html";
import type { PayoutRow } from "../admin/payouts";

export interface PublisherPayoutsView {
  balance: PublisherBalance;
  payouts: Omit<PayoutRow, "publisher_name">[];
  total: number;
  nextCursor: string | null;
  state: TableState;
  zone: string;
  csvHref: string;
  periods: string[];
}

const STATUS_TEXT: Record<string, string> = {
  scheduled: "will be paid by the due date", paid: "", failed: "payment failed; back in your balance",
  on_hold: "on hold: add a valid payout method", carried: "below the threshold; carried to the next month",
};

function methodPanel(b: PublisherBalance): SafeHtml {
  if (b.method_valid) return html`<p class="method-ok">Payouts go to your <strong>${b.method}</strong> account. <a href="/dashboard/publisher/settings">Change payout method</a></p>`;
  return html`<div class="flash flash-error method-missing" role="alert"><strong>Payouts are on hold.</strong> ${b.method ? html`Your ${b.method} details are incomplete or no longer valid.` : html`You have not set a payout method yet.`}
Balances above the threshold are held, not lost, until you <a href="/dashboard/publisher/settings">set a payout method in Settings</a>.</div>`;
}

function balanceCards(b: PublisherBalance): SafeHtml {
  if (b.currencies.length === 0) return html`<div class="empty"><p class="empty-title">No balance yet</p><p>Approved sales credited to you build your balance; it is paid once a month when it reaches the payout threshold.</p></div>`;
  return html`<div class="balances">${b.currencies.map((c) => {
    const f = (minor: number) => amount(formatMinor(minor, c.currency), c.currency);
    const pct = c.threshold_minor > 0 ? Math.max(0, Math.min(100, Math.round((c.next_minor / c.threshold_minor) * 100))) : 100;
    const reached = c.next_minor >= c.threshold_minor && c.next_minor > 0;
    return html`<div class="balance-card" id="balance-${c.currency}">
<h3>${c.currency}</h3>
<dl class="balance-lines">
<div><dt>Carried from earlier months</dt><dd>${f(c.carried_minor)}</dd></div>
<div><dt>Approved, not yet settled</dt><dd>${f(c.approved_minor)}</dd></div>
<div><dt>Pending review</dt><dd>${f(c.pending_minor)}</dd></div>
</dl>
<div class="progress-label"><span>Next payout ${f(c.next_minor)}</span><span class="muted">threshold ${f(c.threshold_minor)}</span></div>
<div class="progress" role="progressbar" aria-label="Progress to the ${c.currency} payout threshold" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pct}"><span style="width:${pct}%"></span></div>
<p class="small muted">${reached ? "Above the threshold: paid after the next month-end close." : `${formatMinor(Math.max(0, c.threshold_minor - c.next_minor), c.currency)} ${c.currency} more to reach the threshold. Pending sales count once approved.`}</p>
</div>`;
  })}</div>`;
}

/** The publisher's balance per currency, threshold progress, payout method status, and its payouts with statements. */
export function publisherPayoutsView(v: PublisherPayoutsView): SafeHtml {
  const p = v.state.params;
  return html`<div class="page-head"><h1>Payouts</h1><p class="muted">Each month-end close turns your approved sales into a payout, due on the 15th. Download a statement for each.</p></div>
<section class="panel" id="publisher-balance" data-live="conversions"><h2>Your balance</h2>${methodPanel(v.balance)}${balanceCards(v.balance)}</section>
<section class="panel" id="publisher-payouts" data-live="conversions"><h2>Payouts and statements <span class="count">${v.total}</span></h2>
${filterBar({ path: "/dashboard/publisher/payouts", csvHref: v.csvHref, controls: html`
${select({ name: "period", label: "Period", value: p.get("period") ?? "", options: [{ value: "", label: "All periods" }, ...v.periods.map((x) => ({ value: x, label: x }))] })}
${select({ name: "status", label: "Status", value: p.get("status") ?? "", options: [{ value: "", label: "Any status" }, ...["scheduled", "paid", "failed", "on_hold", "carried"].map((x) => ({ value: x, label: x.replace("_", " ") }))] })}` })}
${dataTable({
    caption: "Payouts", rows: v.payouts, state: v.state, rowId: (r) => `payout-${r.id}`,
    empty: p.toString() ? "No payout matches these filters. Reset them to see all." : "Your first payout appears after the first month-end close with approved sales.",
    columns: [
      { key: "period", label: "Period", sortable: true, cell: (r) => html`<a href="/dashboard/publisher/payouts/${r.id}">${r.period}</a>` },
      { key: "amount", label: "Amount", sortable: true, numeric: true, cell: (r) => amount(r.amount, r.currency) },
      { key: "conversions", label: "Sales", numeric: true, cell: (r) => r.conversions },
      { key: "status", label: "Status", sortable: true, cell: (r) => html`${statusBadge(r.status)}${STATUS_TEXT[r.status] ? html` <span class="muted small status-note">${STATUS_TEXT[r.status]}</span>` : ""}` },
      { key: "due_at", label: "Due", sortable: true, cell: (r) => when(r.due_at, v.zone) },
      { key: "reference", label: "Reference", cell: (r) => r.reference ?? "" },
      { key: "statement", label: "Statement", cell: (r) => html`<a href="/dashboard/publisher/payouts/${r.id}/statement.pdf" aria-label="Statement ${r.period} ${r.currency} (PDF)">PDF</a>` },
    ],
  })}
${pager({ path: "/dashboard/publisher/payouts", params: p, nextCursor: v.nextCursor })}
</section>`;
}
