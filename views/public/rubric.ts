import type { PublicBoard } from "../../src/smartlinks/public-board";
import { html } from "../html";
import { publicPage } from "../layouts/page";

const label = (k: string) => k.replace(/_/g, " ");

/** GET /rubric: the published rubric, every scored program with its breakdown, and how ties are broken. */
export function rubricPage(b: PublicBoard): string {
  const r = b.rubric;
  const flat = r?.flat_commission ? `${r.flat_commission.amount} ${r.flat_commission.currency}` : null;
  return publicPage("How smart links rank programs", html`<div class="smart-page">
<h1>How smart links rank programs</h1>
<p class="statement" data-statement>${b.placement_statement}</p>
<form class="as-of" method="get" action="/rubric"><label>Show the rubric as it was at the end of <input type="date" name="as_of" value="${b.as_of ?? ""}"> <span class="muted">(${b.timezone})</span></label>
<button type="submit">Show</button>${b.as_of ? html` <a href="/rubric">Back to today</a>` : ""}</form>
${b.as_of ? html`<div class="as-of-note" data-as-of="${b.as_of}"><p>As it stood at the end of <strong>${b.as_of}</strong> (${b.timezone}).</p><p data-as-of-statement>${b.as_of_statement}</p></div>` : ""}
${r ? html`<dl class="facts">
  <div><dt>Rubric version</dt><dd data-version>${r.version}</dd></div>
  <div><dt>Routable threshold</dt><dd data-threshold>${r.threshold}</dd></div>
  <div><dt>Flat commission on smart links</dt><dd data-flat>${flat ?? "each program's own terms"}</dd></div>
  <div><dt>Last change</dt><dd data-last-change>${b.last_change_on ?? "—"}</dd></div>
</dl>
<h2>Signals</h2>
<table class="ledger signals"><thead><tr><th>Signal</th><th>What it measures</th><th class="num">Weight</th></tr></thead><tbody>
${r.signals.map((s) => html`<tr data-signal="${s.key}" data-weight="${s.weight}"><td>${s.name}</td><td>${s.description ?? ""}</td><td class="num">${s.weight}</td></tr>`)}
</tbody><tfoot><tr><td colspan="2">Total</td><td class="num">100</td></tr></tfoot></table>
<p>A program's score is the sum of weight × its score on each signal (0 to 1), out of 100. Programs scoring at least
<strong>${r.threshold}</strong> and active are eligible for smart links.</p>
<h2>Order among eligible programs</h2>
<p data-tie-break>${b.tie_break_rule}</p>
<h2>Programs</h2>
${b.programs.length ? html`<table class="ledger scores"><thead><tr><th>Program</th><th class="num">Score</th><th>Eligible</th><th>Scored on</th><th>Breakdown</th></tr></thead><tbody>
${b.programs.map((p) => html`<tr data-program="${p.id}" data-score="${p.score ?? ""}" data-eligible="${String(p.eligible)}">
<td class="who"><strong>${p.name}</strong><br><span class="muted">${p.brand}${p.status === "paused" ? " · paused" : ""}${p.status_now !== p.status ? ` (${p.status_now} today)` : ""}</span>
${Object.keys(p.attributes).length ? html`<br><span class="attrs">${Object.entries(p.attributes).map(([k, vs]) => html`<span class="chip">${label(k)}: ${vs.join(" / ")}</span>`)}</span>` : ""}</td>
<td class="num score">${p.score ?? "—"}</td><td>${p.eligible ? html`<span class="pill yes">eligible</span>` : html`<span class="pill no">not eligible</span>`}</td>
<td class="scored">${p.scored_on ?? html`<span class="muted">not scored yet</span>`}${p.note ? html`<br><span class="muted">${p.note}</span>` : ""}</td>
<td>${p.breakdown.length === 0 ? html`<span class="muted">—</span>` : html`<details><summary>${p.breakdown.length} signals</summary><table class="breakdown"><tbody>
${p.breakdown.map((x) => html`<tr data-part="${x.key}" data-points="${x.points}"><td>${r.signals.find((s) => s.key === x.key)?.name ?? x.key}</td><td class="num">${x.score ?? "not scored"}</td><td class="num">× ${x.weight}</td><td class="num">= ${x.points}</td></tr>`)}
</tbody></table></details>`}</td></tr>`)}
</tbody></table>` : html`<p>No program is listed yet.</p>`}` : html`<p class="empty">No rubric had been published ${b.as_of ? "by then" : "yet"}, so no program is eligible for smart links.</p>`}
<p class="muted small">Machine-readable: <a href="/rubric.json${b.as_of ? `?as_of=${b.as_of}` : ""}">/rubric.json</a>. Every change to the rubric and to each score is kept, dated and audited.</p>
</div>`);
}

export function rubricBadDatePage(message: string): string {
  return publicPage("Bad date", html`<h1>That is not a date we can show</h1><p>${message}.</p>
<p><a href="/rubric">See the rubric as it is today</a>.</p>`);
}
