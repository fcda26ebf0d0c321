import type { ConversionDetail } from "../../src/conversions/conversion-detail";
import { REVERSAL_WINDOW_DAYS } from "../../src/conversions/review";
import { DAY_MS } from "../../src/shared/clock";
import { formatMinor } from "../../src/shared/money";
import { formatInZone } from "../../src/shared/zoned-time";
import { badge } from "../components/data";
import { csrfField, field, type Errors } from "../components/form";
import { money, when } from "../components/when";
import { copyText } from "../components/copy";
import { html, type SafeHtml } from "../html";
import { testBadge } from "./conversions";

/** The attribution reason in words (attribution/attribute.ts decides it). */
export const ATTRIBUTION_WORDS: Record<string, string> = {
  credited: "Credited to the publisher of the last click: the click belongs to this program, was not a bot, and happened within the cookie window.",
  no_click_sent: "Not credited: the sender supplied no click id (the visitor did not arrive through a tracking link, or the shop did not pass lc_click on).",
  click_not_found: "Not credited: the click id sent does not match any click on file.",
  wrong_program: "Not credited: the click belongs to another program.",
  expired: "Not credited: the click is older than the program's cookie window.",
  bot_click: "Not credited: the click was flagged as a bot or link preview.",
  click_in_future: "Not credited: the click is dated after the conversion was received (a clock problem at the sender).",
  no_publisher: "Not credited: a smart-link click that credits no publisher.",
};

const dl = (items: [string, SafeHtml | string | null | undefined][]) =>
  html`<dl class="facts">${items.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;

function actions(v: DetailView): SafeHtml {
  const c = v.d.conversion;
  const canApprove = c.status === "pending";
  const canReverse = (c.status === "pending" || c.status === "approved") && c.createdAt >= v.now - REVERSAL_WINDOW_DAYS * DAY_MS;
  if (!canApprove && !canReverse) {
    const why = c.status === "reversed" ? "Reversed conversions never pay out." : c.status === "paid" ? "Paid: a refund now becomes a negative adjustment at settlement." : `The ${REVERSAL_WINDOW_DAYS}-day reversal window has passed.`;
    return html`<p class="muted">${why}</p>`;
  }
  return html`<div class="detail-actions">
${canApprove ? html`<form method="post" action="/admin/conversions/${c.id}/approve">${csrfField(v.csrf)}<button type="submit" class="primary">Approve</button></form>` : ""}
${canReverse ? html`<form method="post" action="/admin/conversions/${c.id}/reverse" class="reverse-form" novalidate>${csrfField(v.csrf)}
${field({ name: "reason", label: "Reason to reverse", value: v.reason ?? "", errors: v.errors, hint: `Refund, chargeback or fraud. Possible until ${formatInZone(c.createdAt + REVERSAL_WINDOW_DAYS * DAY_MS, v.tz)}.` })}
<button type="submit" class="danger">Reverse</button></form>` : ""}</div>`;
}

function moneyPanel(d: ConversionDetail): SafeHtml {
  const c = d.conversion;
  const platform = c.platformCommissionMinor === null ? null : money(c.platformCommissionMinor, c.platformCommissionCurrency ?? c.orderCurrency);
  return html`<section class="panel"><h2>Money</h2><div class="table-wrap"><table class="data money"><tbody>
<tr><th scope="row">Order value as sent</th><td class="num">${money(c.orderValueMinor, c.orderCurrency)}</td></tr>
<tr><th scope="row">In the program currency</th><td class="num">${money(c.programValueMinor, c.currency)}${c.fxRate ? html`<br><span class="muted small">at 1 ${c.orderCurrency} = ${c.fxRate} ${c.currency}</span>` : ""}</td></tr>
<tr><th scope="row">Commission (the brand pays)</th><td class="num">${money(c.commissionMinor, c.currency)}</td></tr>
<tr><th scope="row">Network fee</th><td class="num">${money(c.networkFeeMinor, c.currency)}</td></tr>
<tr><th scope="row">Publisher payout</th><td class="num">${money(c.publisherPayoutMinor, c.currency)}</td></tr>
<tr><th scope="row">Commission the platform reported</th><td class="num">${platform ?? html`<span class="muted">not reported</span>`}${platform && c.platformCommissionCurrency === c.currency && c.platformCommissionMinor !== c.commissionMinor ? html`<br><span class="muted small">differs from ours by ${formatMinor(c.platformCommissionMinor! - c.commissionMinor, c.currency)}</span>` : ""}</td></tr>
</tbody></table></div></section>`;
}

function clickPanel(d: ConversionDetail, tz: string): SafeHtml {
  const k = d.click;
  if (!k) return html`<section class="panel"><h2>Click</h2><p class="muted">${d.conversion.sentClickRef ? html`The click id sent (<code>${d.conversion.sentClickRef}</code>) matches no click on file.` : "No click id was sent with this conversion."}</p></section>`;
  const subs = [k.sub1, k.sub2, k.sub3, k.sub4, k.sub5].map((s, i) => (s ? `sub${i + 1}=${s}` : "")).filter(Boolean).join("  ");
  const utm = ([["source", k.utmSource], ["medium", k.utmMedium], ["campaign", k.utmCampaign], ["term", k.utmTerm], ["content", k.utmContent]] as const)
    .filter(([, v]) => v).map(([n, v]) => `utm_${n}=${v}`).join("  ");
  const smart = k.smartLinkId ? html`${d.smartLink ? html`<code>/go/m/${d.smartLink.code}</code>` : k.smartLinkId}: routed to this program with score ${k.routeScore === null ? "?" : (k.routeScore / 100).toFixed(2)} (rubric v${k.rubricVersion ?? "?"})${k.routeCriteria ? html`<br><code class="small">${k.routeCriteria}</code>` : ""}` : null;
  const gap = Math.round((d.conversion.createdAt - k.createdAt) / 1000);
  return html`<section class="panel"><h2>Click</h2>${dl([
    ["Click id", copyText("copy-click-id", k.id, "click id")], ["Time", html`${when(k.createdAt, tz, true)} <span class="muted small">(${gap} s before the conversion)</span>`],
    ["Country", k.country ?? html`<span class="muted">unknown</span>`], ["User agent", k.userAgent ? html`<code class="small">${k.userAgent}</code>` : html`<span class="muted">none</span>`],
    ["Referrer", k.referrer ? html`<code class="small">${k.referrer}</code>` : html`<span class="muted">none</span>`],
    ["Sub-ids", subs ? html`<code>${subs}</code>` : null], ["UTM", utm ? html`<code>${utm}</code>` : null],
    ["Bot", k.isBot ? html`<span class="badge badge-reversed">bot</span> ${k.botReason ?? ""}` : "no"],
    ["Via", k.via], ["Smart link", smart],
  ])}</section>`;
}

function prettyJson(text: string): string {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

function requestsPanel(d: ConversionDetail, tz: string): SafeHtml {
  if (d.requests.length === 0) return html`<section class="panel"><h2>Inbox request</h2><p class="muted">No stored request names this conversion (it may be older than the inbox retention).</p></section>`;
  return html`<section class="panel"><h2>Inbox request</h2>${d.requests.map((r) => {
    const body = Buffer.from(r.bodyB64, "base64").toString("utf8");
    return html`<article class="inbox-request" id="inbox-${r.id}">${dl([
      ["Received", when(r.receivedAt, tz, true)], ["Provider", r.provider], ["Request", html`<code>${r.method} ${r.url}</code>`],
      ["Verdict", html`${badge(r.verdict)} ${r.statusCode} ${r.reason}`], ["Replay of", r.replayOf ? html`<code>${r.replayOf}</code>` : null],
    ])}<details><summary>Headers (secrets redacted)</summary><pre>${prettyJson(r.headers)}</pre></details>
<details open><summary>Body${r.bodyBytes !== null && r.bodyBytes > body.length ? ` (first ${body.length} of ${r.bodyBytes} bytes)` : ""}</summary><pre>${prettyJson(body)}</pre></details></article>`;
  })}</section>`;
}

function auditPanel(d: ConversionDetail, tz: string): SafeHtml {
  return html`<section class="panel"><h2>Audit trail</h2>${d.audit.length === 0 ? html`<p class="muted">No audit rows.</p>` : html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Change</th><th scope="col">Reason</th></tr></thead><tbody>
${d.audit.map((a) => html`<tr><td>${when(a.at, tz, true)}</td><td>${a.actorType}${a.actorId ? html`<br><code class="small">${a.actorId}</code>` : ""}</td><td><code>${a.action}</code></td><td>${a.fromStatus ?? "—"} → ${a.toStatus ?? "—"}</td><td>${a.reason ?? ""}</td></tr>`)}
</tbody></table></div>`}<p class="small"><a href="/admin/audit?entity_type=conversion&amp;entity_id=${d.conversion.id}">Open in the audit log</a></p></section>`;
}

function deliveriesPanel(d: ConversionDetail, tz: string): SafeHtml {
  return html`<section class="panel"><h2>Publisher postbacks</h2>${d.deliveries.length === 0 ? html`<p class="muted">None: the publisher has no postback for these events, or none is due yet.</p>` : html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col" class="num">Attempts</th><th scope="col">Last attempt</th></tr></thead><tbody>
${d.deliveries.map((o) => html`<tr><td><code>${o.event}</code></td><td>${badge(o.status === "sent" ? "approved" : o.status === "dead" ? "reversed" : "pending")} ${o.status}</td><td class="num">${o.attemptCount}</td><td>${o.lastAttempt ? html`${when(o.lastAttempt.at, tz, true)} · ${o.lastAttempt.statusCode ?? o.lastAttempt.error ?? ""}` : html`<span class="muted">not yet</span>`}</td></tr>`)}
</tbody></table></div>`}</section>`;
}

function ledgerPanel(d: ConversionDetail, tz: string): SafeHtml {
  if (d.ledger.length === 0) return html``;
  return html`<section class="panel"><h2>Referral credit</h2><div class="table-wrap"><table class="data"><thead><tr><th scope="col">When</th><th scope="col">Referrer</th><th scope="col">Entry</th><th scope="col" class="num">Amount</th></tr></thead><tbody>
${d.ledger.map((l) => html`<tr><td>${when(l.entry.createdAt, tz, true)}</td><td>${l.referrerName ?? l.entry.referrerId}</td><td>${l.entry.kind}</td><td class="num">${money(l.entry.amountMinor, l.entry.currency)}</td></tr>`)}
</tbody></table></div></section>`;
}

export interface DetailView { d: ConversionDetail; csrf: string; tz: string; now: number; errors?: Errors; reason?: string }

export function conversionDetailView(v: DetailView): SafeHtml {
  const { d, tz } = v;
  const c = d.conversion;
  return html`<p class="crumbs"><a href="/admin/conversions">Review queue</a></p>
<div class="page-head detail-head"><h1>Order <code>${c.brandOrderRef}</code> ${badge(c.status)}${testBadge(c.isTest)}</h1>
<p class="muted">Conversion ${copyText("copy-conversion-id", c.id, "conversion id")} · times in ${tz}</p></div>
<div id="conversion-${c.id}" data-live="conversions">
<section class="panel"><div class="detail-top">${dl([
    ["Program", d.program?.name ?? c.programId], ["Brand", d.brand?.name ?? c.brandId],
    ["Publisher", d.publisher?.name ?? html`<span class="muted">none</span>`], ["Source", c.source],
    ["Recorded", when(c.createdAt, tz, true)], ["Approved", c.approvedAt ? when(c.approvedAt, tz, true) : null],
    ["Reversed", c.reversedAt ? html`${when(c.reversedAt, tz, true)}${c.reversalReason ? html` · ${c.reversalReason}` : ""}` : null],
  ])}${actions(v)}</div>
<h2 class="h3">Attribution</h2><p class="attribution"><code>${c.attributionReason}</code> ${ATTRIBUTION_WORDS[c.attributionReason] ?? ""}</p></section>
${moneyPanel(d)}
${clickPanel(d, tz)}
${auditPanel(d, tz)}
${deliveriesPanel(d, tz)}
${ledgerPanel(d, tz)}
</div>
${requestsPanel(d, tz)}`;
}
