import { html } from "../html";
import { publicPage } from "../layouts/page";

export interface MatchView {
  code: string;
  criteria: Record<string, string[]>;
  visitor: { country: string | null; device: string | null };
  threshold: string | null;
  flatCommission: string | null;
  matches: { id: string; name: string; brand: string; score: string; fit: number; attributes: Record<string, string[]>; href: string }[];
}

const DISCLOSURE = html`<aside class="disclosure" role="note" data-disclosure><strong>Affiliate disclosure.</strong>
The links on this page are affiliate links: if you buy after following one, we may earn a commission. Every program listed
earns the same flat commission from these links, so nobody pays to be listed or to rank higher. The order follows fit and the
score on our <a href="/rubric">public rubric</a>.</aside>`;

const label = (k: string) => k.replace(/_/g, " ");

function criteriaLine(criteria: Record<string, string[]>) {
  const parts = Object.entries(criteria);
  if (!parts.length) return html`any program that meets the rubric`;
  return parts.map(([k, v], i) => html`${i ? ", " : ""}<span class="chip">${label(k)}: ${v.join(" / ")}</span>`);
}

/** GET /m/{code}: the ranked eligible programs for this visitor, the disclosure above every link. */
export function matchPage(v: MatchView): string {
  const where = [v.visitor.country, v.visitor.device].filter(Boolean).join(", ");
  return publicPage("Matching programs", html`<div class="smart-page">
${DISCLOSURE}
<h1>Programs that match</h1>
<p>Matching ${criteriaLine(v.criteria)}${where ? html` for a visitor on <strong>${where}</strong>` : ""}.
Only active programs scoring at least ${v.threshold ?? "the threshold"} on the rubric are shown, best fit first.</p>
${v.matches.length ? html`<ol class="matches">
${v.matches.map((m, i) => html`<li class="match" data-program="${m.id}" data-score="${m.score}">
  <div class="rank">${i + 1}</div>
  <div class="who"><strong>${m.name}</strong><span class="muted">${m.brand}</span>
  <span class="attrs">${Object.entries(m.attributes).map(([k, vs]) => html`<span class="chip">${label(k)}: ${vs.join(" / ")}</span>`)}</span></div>
  <div class="score"><span class="num">${m.score}</span><span class="muted">/ 100 score</span></div>
  <a class="go" href="${m.href}" rel="sponsored nofollow" title="Visit ${m.name}">Visit ${m.name}</a>
</li>`)}
</ol>` : html`<p class="empty">No program matches right now. We do not send you anywhere else instead.</p>`}
<p class="muted small">${v.flatCommission && v.matches.length ? `Each of these programs pays the same ${v.flatCommission} per sale through these links. ` : ""}How programs are scored and ordered: <a href="/rubric">the rubric</a>.</p>
</div>`);
}

export function smartNoMatchPage(): string {
  return publicPage("No match right now", html`<h1>No match right now</h1>
<p>No program currently meets this link's criteria and the rubric threshold. You have not been redirected anywhere and nothing was recorded.</p>
<p>See <a href="/rubric">how programs are scored</a>.</p>`);
}

export function smartNotEligiblePage(): string {
  return publicPage("Not available here", html`<h1>This program is not available from this link</h1>
<p>The program you picked is not an eligible match for this link right now. Nothing was recorded.</p>`);
}

/** An unknown smart-link code (or a match page the link does not have): 404, no redirect, nothing recorded. */
export function smartLinkNotFoundPage(): string {
  return publicPage("Link not found", html`<h1>Link not found</h1>
<p>This smart link does not exist. Check that it was copied completely. You have not been redirected anywhere and nothing was recorded.</p>
<p>See <a href="/rubric">how programs are scored</a>.</p>`);
}
