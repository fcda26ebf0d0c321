import type { MarketplaceItem } from "../../src/network/list-marketplace";
import type { OwnLink } from "../../src/network/publisher-links";
import { LINK_PARAMS } from "../../src/network/publisher-links";
import { badge, dataTable, pager, type TableState } from "../components/data";
import { copyField } from "../components/copy";
import { csrfField, field, formError, select, type Errors } from "../components/form";
import { html, type SafeHtml } from "../html";

function applicationCell(m: MarketplaceItem, csrf: string): SafeHtml {
  const a = m.application;
  if (!a) return html`<form method="post" action="/dashboard/publisher/programs/${m.program_id}/apply" class="inline">${csrfField(csrf)}<button type="submit" class="small primary" aria-label="Apply to ${m.name}">Apply</button></form>`;
  if (a.status === "approved" && a.tracking_url) {
    return html`${m.program_status === "paused" ? html`<span class="badge badge-paused">program paused</span>` : ""}${copyField(`link-${a.id}`, a.tracking_url, `Your tracking link for ${m.name}`)}<a class="small" href="/dashboard/publisher/links?link=${a.id}">Build a link with sub-ids →</a>`;
  }
  if (a.status === "pending") return html`${badge("pending")} <span class="muted small">Waiting for the network's review</span>`;
  return html`${badge(a.status)} <span class="muted small">${a.status === "rejected" ? "Not approved for this program" : "Your link is suspended; contact the network"}</span>`;
}

export function marketplaceView(v: { rows: MarketplaceItem[]; total: number; state: TableState; nextCursor: string | null; filters: SafeHtml; csrf: string }): SafeHtml {
  return html`<div class="page-head"><h1>Programs</h1><p class="muted">Apply to the programs you want to promote. Once the network approves you, your tracking link appears here.</p></div>
<section class="panel">${v.filters}
${dataTable({
    caption: "Programs", rows: v.rows, state: v.state, rowId: (m) => `program-${m.program_id}`,
    empty: "The network has no active programs right now. Check back soon.",
    columns: [
      { key: "name", label: "Program", sortable: true, cell: (m) => html`<strong>${m.name}</strong><br><span class="muted small">${m.brand_name}</span>` },
      { key: "earn", label: "You earn", cell: (m) => html`${m.earn.exact ? "" : "≈ "}${m.earn.text}<br><span class="muted small">${m.cookie_window_days}-day cookie</span>` },
      { key: "category", label: "Category", sortable: true, cell: (m) => m.category.length ? m.category.join(", ") : html`<span class="muted">—</span>` },
      { key: "countries", label: "Countries", cell: (m) => m.countries.length ? m.countries.join(", ") : html`<span class="muted">all</span>` },
      { key: "status", label: "Your link", sortable: true, cell: (m) => applicationCell(m, v.csrf) },
    ],
  })}
${pager({ path: v.state.path, params: v.state.params, nextCursor: v.nextCursor })}</section>`;
}

const LABELS: Record<string, string> = { sub1: "sub1", sub2: "sub2", sub3: "sub3", sub4: "sub4", sub5: "sub5", utm_source: "utm_source", utm_medium: "utm_medium", utm_campaign: "utm_campaign", utm_term: "utm_term", utm_content: "utm_content" };

/** The built link, its copy button and QR code: the region the form refreshes as you type. */
export function linkResult(o: { url: string | null; qr: SafeHtml | null; passThrough: boolean; errors?: Errors }): SafeHtml {
  if (!o.url) return html`<div id="link-result" class="link-result" aria-live="polite"><p class="muted">Choose a program to see your link.</p></div>`;
  return html`<div id="link-result" class="link-result" aria-live="polite">
${o.errors && Object.keys(o.errors).length ? html`<div class="flash flash-error" role="alert">${Object.entries(o.errors).map(([k, v]) => html`<p>${k}: ${v.join("; ")}</p>`)}</div>` : ""}
<label for="built-url" class="label">Your link</label>
${copyField("built-url", o.url, "Your tracking link")}
<p class="built-url-text"><code>${o.url}</code></p>
<p class="hint">${o.passThrough ? "This program passes your sub-ids and UTM tags on to the shop." : "Sub-ids and UTM tags are recorded with each click and show in your stats."}</p>
${o.qr ?? ""}<p class="hint">Right-click or long-press the QR code to save it for print.</p></div>`;
}

export function linkBuilderView(v: { links: OwnLink[]; selected: string; values: Record<string, string>; result: SafeHtml }): SafeHtml {
  if (v.links.length === 0) {
    return html`<div class="page-head"><h1>Link builder</h1></div><div class="empty"><p class="empty-title">No approved programs yet</p><p><a href="/dashboard/publisher/programs">Apply to a program</a>; once approved you can build links with sub-ids, UTM tags and a QR code here.</p></div>`;
  }
  const inputs = (keys: readonly string[]) => keys.map((k) => html`<div class="field"><label for="f-${k}">${LABELS[k]}</label><input id="f-${k}" name="${k}" value="${v.values[k] ?? ""}" maxlength="200" autocomplete="off"></div>`);
  return html`<div class="page-head"><h1>Link builder</h1><p class="muted">Add sub-ids to tell your placements apart and UTM tags for your own analytics. Every click is still credited to you.</p></div>
<div class="builder">
<form class="panel" method="get" action="/dashboard/publisher/links" hx-get="/dashboard/publisher/links/build" hx-trigger="input delay:250ms" hx-target="#link-result" hx-swap="outerHTML">
${select({ name: "link", label: "Program", value: v.selected, options: v.links.map((l) => ({ value: l.id, label: l.program_status === "paused" ? `${l.program_name} (paused)` : l.program_name })) })}
<h2>Sub-ids</h2><div class="grid-form compact">${inputs(LINK_PARAMS.slice(0, 5))}</div>
<h2>UTM tags</h2><div class="grid-form compact">${inputs(LINK_PARAMS.slice(5))}</div>
<noscript><div class="form-actions"><button type="submit" class="primary">Build link</button></div></noscript>
</form>
<section class="panel">${v.result}</section>
</div>`;
}

export interface PublisherSettingsView {
  csrf: string;
  values: Record<string, string>;
  method: string;
  errors?: Errors;
  error?: string | null;
  contactErrors?: Errors;
}

const METHOD_FIELDS: Record<string, { name: string; label: string; hint?: string; options?: string[] }[]> = {
  ACH: [{ name: "account_holder", label: "Account holder" }, { name: "routing_number", label: "Routing number (ABA)", hint: "9 digits" }, { name: "account_number", label: "Account number" }, { name: "account_type", label: "Account type", options: ["checking", "savings"] }],
  Wise: [{ name: "email", label: "Wise email", hint: "Or leave empty and give holder + IBAN" }, { name: "account_holder", label: "Account holder" }, { name: "iban", label: "IBAN" }],
  PayPal: [{ name: "email", label: "PayPal email" }],
  USDT: [{ name: "network", label: "Network", options: ["TRC20", "ERC20"] }, { name: "address", label: "Wallet address" }],
  "WeChat Pay": [{ name: "wechat_id", label: "WeChat ID" }, { name: "real_name", label: "Real name (as registered)" }],
  Zelle: [{ name: "account_holder", label: "Account holder" }, { name: "email", label: "Zelle email", hint: "Email or phone" }, { name: "phone", label: "Zelle phone", hint: "+1 and 10 digits" }],
};
export const PAYOUT_FIELD_NAMES = METHOD_FIELDS;

export function publisherSettingsView(v: PublisherSettingsView): SafeHtml {
  const val = v.values;
  const methodFields = (m: string) => METHOD_FIELDS[m]!.map((f) => {
    const name = `${m}.${f.name}`;
    if (f.options) return select({ name, label: f.label, value: val[name], errors: v.errors, options: f.options.map((o) => ({ value: o, label: o })) });
    return field({ name, label: f.label, value: val[name], errors: v.errors, hint: f.hint });
  });
  return html`<div class="page-head"><h1>Settings</h1><p class="muted">Where the network sends your payouts and how it reaches you.</p></div>
${formError(v.error)}
<form method="post" action="/dashboard/publisher/settings" class="panel" novalidate>${csrfField(v.csrf)}
<h2>Contact</h2><div class="grid-form">
${field({ name: "name", label: "Publisher name", value: val.name, errors: v.errors })}
${field({ name: "email", label: "Contact email", type: "email", value: val.email, errors: v.errors })}
</div>
<h2>Payout method</h2>
<fieldset class="methods"><legend class="sr-only">Payout method</legend>
${Object.keys(METHOD_FIELDS).map((m) => html`<label class="method"><input type="radio" name="payout_method" value="${m}"${v.method === m ? html` checked` : ""}> ${m}</label>`)}
${v.errors?.payout_method ? html`<p class="error" id="f-payout_method-err">${v.errors.payout_method.join("; ")}</p>` : ""}
</fieldset>
${Object.keys(METHOD_FIELDS).map((m) => html`<div class="method-fields grid-form" data-method="${m}"${v.method === m ? "" : html` hidden`}><h3>${m} details</h3>${methodFields(m)}</div>`)}
<div class="form-actions"><button type="submit" class="primary">Save settings</button></div>
</form>
<script>document.querySelectorAll('input[name=payout_method]').forEach(function(r){r.addEventListener('change',function(){document.querySelectorAll('.method-fields').forEach(function(d){d.hidden=d.dataset.method!==r.value})})})</script>`;
}
