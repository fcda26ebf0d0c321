import type { IntegrationListItem } from "../../src/integrations/list-integrations-for";
import { copyField } from "../components/copy";
import { badge, dataTable, filterBar, pager, type TableState } from "../components/data";
import { csrfField, field, formError, select, type Errors } from "../components/form";
import { dateStatusControls } from "../components/list-filters";
import { when } from "../components/when";
import { html, raw, type SafeHtml } from "../html";

export interface AdminIntegrationsView {
  rows: IntegrationListItem[];
  total: number;
  state: TableState;
  nextCursor: string | null;
  csvHref: string;
  csrf: string;
  tz: string;
  programs: { id: string; name: string; brandName: string }[];
  values?: Record<string, string>;
  errors?: Errors;
  error?: string | null;
  /** The integration just created and its webhook URL (with the Impact token: shown only now). */
  created?: { provider: string; programName: string; webhookUrl: string; id: string } | null;
}

export const PROVIDER_LABELS: Record<string, string> = {
  refersion: "Refersion", impact: "Impact", everflow: "Everflow", generic: "Generic JSON", shopify: "Shopify", woocommerce: "WooCommerce",
};

/** Which providers each credential field belongs to (the form shows only those of the chosen provider). */
function group(providers: string, body: SafeHtml): SafeHtml {
  return html`<div class="provider-fields" data-providers="${providers}">${body}</div>`;
}

const SHOW_FIELDS = raw(`<script>(function(){var s=document.getElementById('f-provider');if(!s)return;function u(){document.querySelectorAll('.provider-fields').forEach(function(g){var on=g.dataset.providers.split(' ').indexOf(s.value)>=0;g.hidden=!on;g.querySelectorAll('input,select,textarea').forEach(function(i){i.disabled=!on})})}s.addEventListener('change',u);u()})()</script>`);

function createForm(v: AdminIntegrationsView): SafeHtml {
  const val = v.values ?? {};
  const e = v.errors;
  return html`<section class="panel"><h2>Connect a platform</h2>
<p class="muted">Conversions from a brand's affiliate platform arrive at the webhook URL shown after you connect it. Each integration starts in <strong>test</strong> mode.</p>
${formError(v.error)}
<form method="post" action="/admin/integrations" class="grid-form" novalidate>${csrfField(v.csrf)}
${select({ name: "program_id", label: "Program", value: val.program_id, errors: e, options: [{ value: "", label: "Choose a program" }, ...v.programs.map((p) => ({ value: p.id, label: `${p.name} (${p.brandName})` }))] })}
${select({ name: "provider", label: "Platform", value: val.provider ?? "refersion", errors: e, options: Object.entries(PROVIDER_LABELS).map(([value, label]) => ({ value, label })) })}
${select({ name: "mode", label: "Mode", value: val.mode ?? "test", errors: e, options: [{ value: "test", label: "Test (conversions are test only)" }, { value: "live", label: "Live" }] })}
${group("refersion shopify woocommerce", field({ name: "secret", label: "Webhook secret", value: "", errors: e, hint: "The shared secret the platform signs each webhook with (Refersion: Settings → Webhooks; Shopify: the app's API secret; WooCommerce: the webhook's Secret)." }))}
${group("generic", html`${field({ name: "generic_secret", label: "Shared secret", value: "", errors: e, hint: "Sent in the x-lastclick-secret header; at least 8 characters." })}
${field({ name: "vendor_id", label: "Vendor id", value: val.vendor_id, errors: e, hint: "The vendor_id the sender puts in every body." })}`)}
${group("impact", html`${field({ name: "basic_user", label: "Account SID (Basic user)", value: val.basic_user, errors: e })}
${field({ name: "basic_password", label: "AuthToken (Basic password)", type: "password", value: "", errors: e })}
${field({ name: "url_token", label: "URL token (optional)", value: "", errors: e, hint: "Alternatively or as well: a secret token carried in the postback URL (&token=)." })}`)}
${group("everflow", html`${field({ name: "ip_allowlist", label: "Allowed source IPs", value: val.ip_allowlist, errors: e, hint: "Everflow's postback IPs or IPv4 ranges, separated by commas or spaces." })}
${field({ name: "trusted_proxies", label: "Trusted proxies (optional)", value: val.trusted_proxies, errors: e, hint: "Proxies in front of this server whose X-Forwarded-For is believed for this integration." })}
${field({ name: "currency", label: "Currency of amounts (optional)", value: val.currency, errors: e, hint: "Everflow sends no currency; default: the program's." })}`)}
${field({ name: "contact_email", label: "Report contact email (optional)", type: "email", value: val.contact_email, errors: e, hint: "Reconciliation reports for this integration are mailed here (CSV attached) when mail is configured." })}
<div class="form-actions"><button type="submit" class="primary">Connect</button></div>
</form>${SHOW_FIELDS}</section>`;
}

function counts(r: IntegrationListItem): SafeHtml {
  const c = r.counts;
  if (!c) return html``;
  const link = (verdict: string, n: number) => html`<a class="verdict verdict-${verdict}" href="/admin/inbox?integration_id=${r.id}&amp;verdict=${verdict}" title="${verdict}">${n} ${verdict}</a>`;
  return html`<div class="verdicts">${link("accepted", c.accepted)}${link("duplicate", c.duplicate)}${link("updated", c.updated)}${link("rejected", c.rejected)}</div>`;
}

function modeCell(r: IntegrationListItem, csrf: string): SafeHtml {
  const to = r.mode === "test" ? "live" : "test";
  const confirm = to === "live" ? "Switch to live? Its conversions will count for payouts and invoices from now on." : "Switch back to test? New conversions will be test only.";
  return html`<div class="row-actions">${badge(r.mode)}<form method="post" action="/admin/integrations/${r.id}/mode" class="inline" onsubmit="return confirm('${confirm}')">${csrfField(csrf)}<input type="hidden" name="mode" value="${to}"><button type="submit" class="small ${to === "live" ? "primary" : "secondary"}">Go ${to}</button></form></div>`;
}

export function adminIntegrationsView(v: AdminIntegrationsView): SafeHtml {
  return html`<div class="page-head"><h1>Integrations</h1><p class="muted">Brands' affiliate platforms sending conversions by webhook. Every request lands in the <a href="/admin/inbox">inbox</a> with its verdict.</p></div>
${v.created ? html`<div class="flash flash-ok" role="status" id="integration-created"><p><strong>${PROVIDER_LABELS[v.created.provider] ?? v.created.provider} connected for ${v.created.programName}.</strong> Paste this webhook URL into the platform${v.created.provider === "impact" && v.created.webhookUrl.includes("&token=") ? " (it carries the URL token and is shown only now)" : ""}:</p>
${copyField("created-webhook-url", v.created.webhookUrl, "Webhook URL")}</div>` : ""}
${createForm(v)}
<section class="panel"><h2>Connected platforms <span class="count">${v.total}</span></h2>
<details class="note"><summary>The test handshake: when to switch to live</summary><p>An integration starts in test mode: everything it records is a test conversion, never in balances or settlement. Ask the brand to send test conversions (an order total of 0.01, an order id starting with <code>TEST</code>, or the platform's own test flag) and check they arrive as <em>accepted</em> in the inbox with the right program and amounts. Then switch it live. In live mode platform test flags, <code>TEST…</code> order ids and 0.01 totals still count as test. Every switch is written to the audit trail.</p></details>
${filterBar({ path: "/admin/integrations", csvHref: v.csvHref, controls: dateStatusControls(v.state.params, [{ value: "test", label: "Test" }, { value: "live", label: "Live" }], "Mode") })}
${dataTable({
    caption: "Integrations", rows: v.rows, state: v.state, rowId: (r) => `integration-${r.id}`,
    empty: "Connect the first platform with the form above: choose the brand's program and its platform.",
    columns: [
      { key: "provider", label: "Platform", sortable: true, cell: (r) => PROVIDER_LABELS[r.provider] ?? r.provider },
      { key: "program", label: "Program", sortable: true, cell: (r) => html`${r.programName}<div class="muted small">${r.brandName}</div>` },
      { key: "mode", label: "Mode", sortable: true, cell: (r) => modeCell(r, v.csrf) },
      { key: "webhook", label: "Webhook URL", cell: (r) => copyField(`wh-${r.id}`, r.webhookUrl, `Webhook URL of ${r.programName}`) },
      { key: "inbox", label: "Inbox", cell: (r) => counts(r) },
      { key: "created", label: "Created", sortable: true, cell: (r) => when(r.createdAt, v.tz) },
    ],
  })}
${pager({ path: v.state.path, params: v.state.params, nextCursor: v.nextCursor })}
</section>`;
}
