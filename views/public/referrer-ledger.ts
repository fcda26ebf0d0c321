import { html } from "../html";
import { publicPage } from "../layouts/page";

interface LedgerView {
  referrer: { name: string; code: string; reward_pct: string };
  balances: { currency: string; earned: string; vested: string; pending: string }[];
  entries: { kind: string; amount: string; currency: string; conversion_id: string; test: boolean; created_at: string | null }[];
}

const KIND_LABEL: Record<string, string> = { earn: "Earned (pending)", vest: "Vested", reverse: "Reversed" };

/** A referrer's read-only ledger, reached through a signed link. */
export function referrerLedgerPage(v: LedgerView): string {
  return publicPage(`Credits for ${v.referrer.name}`, html`<h1>Referral credits: ${v.referrer.name}</h1>
<p>Code <code>${v.referrer.code}</code> earns ${v.referrer.reward_pct}% of the commission on each credited sale.</p>
<table class="ledger"><thead><tr><th>Currency</th><th>Earned</th><th>Vested</th><th>Pending</th></tr></thead><tbody>
${v.balances.length ? v.balances.map((b) => html`<tr><td>${b.currency}</td><td>${b.earned}</td><td>${b.vested}</td><td>${b.pending}</td></tr>`) : html`<tr><td colspan="4">No credits yet.</td></tr>`}
</tbody></table>
<h2>Entries</h2>
<table class="ledger"><thead><tr><th>When</th><th>What</th><th>Amount</th><th>Conversion</th></tr></thead><tbody>
${v.entries.length ? v.entries.map((e) => html`<tr><td>${e.created_at}</td><td>${KIND_LABEL[e.kind] ?? e.kind}${e.test ? " (test)" : ""}</td><td>${e.amount} ${e.currency}</td><td><code>${e.conversion_id.slice(0, 8)}</code></td></tr>`) : html`<tr><td colspan="4">Entries appear here when a sale through your code is recorded.</td></tr>`}
</tbody></table>`);
}
