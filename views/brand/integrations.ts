import type { IntegrationListItem } from "../../src/integrations/list-integrations-for";
import { PROVIDER_LABELS } from "../admin/integrations";
import { codeBlock, copyField } from "../components/copy";
import { badge, dataTable, type TableState } from "../components/data";
import { when } from "../components/when";
import { html, type SafeHtml } from "../html";
import { convSnippets, KEY_PLACEHOLDER, wooClickSnippet, type SnippetInput } from "./snippets";

export interface BrandIntegrationsView {
  programs: { id: string; name: string; currency: string }[];
  program: { id: string; name: string; currency: string } | null;
  integrations: IntegrationListItem[];
  state: TableState;
  filters: SafeHtml;
  pager: SafeHtml;
  tz: string;
  publicUrl: string;
  clickParam: string;
}

function programPicker(v: BrandIntegrationsView): SafeHtml {
  if (v.programs.length < 2) return html``;
  return html`<form method="get" action="/dashboard/brand/integrations" class="filters"><div class="field"><label for="f-program">Program</label><select id="f-program" name="program" onchange="this.form.submit()">${v.programs.map((p) => html`<option value="${p.id}"${p.id === v.program?.id ? html` selected` : ""}>${p.name}</option>`)}</select></div><noscript><button type="submit">Show</button></noscript></form>`;
}

export function shopifySteps(webhookUrl: string, clickParam: string): SafeHtml {
  return html`<ol class="steps">
<li>In Shopify admin open <strong>Settings → Notifications → Webhooks</strong> and click <strong>Create webhook</strong>.</li>
<li>Event <strong>Order creation</strong>, format <strong>JSON</strong>, URL: the webhook URL ${webhookUrl ? html`below` : "of your Shopify integration"}. Add two more with the same URL for <strong>Order update</strong> and <strong>Order cancellation</strong> (refunds and cancellations then reverse the conversion).</li>
<li>Shopify shows <em>"Your webhooks will be signed with …"</em> under the list: send that signing secret to the network (not by email in clear if you can avoid it); the webhook is accepted once it is entered on their side.</li>
<li>Nothing else to install: the click id arrives with the order's landing page (<code>?${clickParam}=…</code>) or a cart attribute <code>${clickParam}</code>.</li>
</ol>
${webhookUrl ? copyField("shopify-webhook", webhookUrl, "Shopify webhook URL") : ""}`;
}

export function wooSteps(webhookUrl: string, clickParam: string): SafeHtml {
  return html`<ol class="steps">
<li>In WordPress open <strong>WooCommerce → Settings → Advanced → Webhooks</strong> and click <strong>Add webhook</strong>.</li>
<li>Status <strong>Active</strong>, topic <strong>Order created</strong>, delivery URL: the webhook URL ${webhookUrl ? html`below` : "of your WooCommerce integration"}, API version <strong>WP REST API v3</strong>. Add a second one for <strong>Order updated</strong> (refunds reverse the conversion).</li>
<li><strong>Secret</strong>: the shared secret agreed with the network; WooCommerce signs each delivery with it.</li>
<li>Keep the click id on the order with this snippet (it is read back as <code>_lc_click</code>):</li>
</ol>
${webhookUrl ? copyField("woo-webhook", webhookUrl, "WooCommerce webhook URL") : ""}
${codeBlock("snippet-woo", "functions.php", wooClickSnippet(clickParam))}`;
}

export function brandIntegrationsView(v: BrandIntegrationsView): SafeHtml {
  const snippet: SnippetInput | null = v.program ? { publicUrl: v.publicUrl, programId: v.program.id, clickParam: v.clickParam, currency: v.program.currency } : null;
  const shop = v.integrations.find((i) => i.provider === "shopify");
  const woo = v.integrations.find((i) => i.provider === "woocommerce");
  return html`<div class="page-head"><h1>Integrations</h1><p class="muted">Two ways to report sales: your server calls our API after each paid order, or your shop platform sends us its order webhooks.</p></div>
<section class="panel" id="server-setup"><h2>From your server: <code>POST /api/conv</code></h2>
${programPicker(v)}
${snippet ? html`<p class="muted">For <strong>${v.program!.name}</strong> (program id <code id="program-id">${v.program!.id}</code>). Replace <code>${KEY_PLACEHOLDER}</code> with a key from <a href="/dashboard/brand/keys">API keys</a> (use a <code>lc_test_</code> key while trying it). Save the <code>${v.clickParam}</code> parameter of the landing URL with the visitor's session or order and send it back here.</p>
<div class="snippets">${convSnippets(snippet).map((s) => codeBlock(s.id, s.label, s.code))}</div>
<p class="muted small">Answers: 200 <code>created</code> or <code>duplicate</code> (the same order again counts once); 401 bad key; 403 not your program; 422 with field errors. Amounts are exact decimals; send the order's own currency.</p>`
    : html`<div class="empty"><p class="empty-title">No program yet</p><p>The network sets up your programs; the code to paste appears here as soon as one exists.</p></div>`}
</section>
<section class="panel"><h2>Platform webhooks <span class="count">${v.integrations.length}</span></h2>
<p class="muted">Connected by the network. Paste the webhook URL into your platform; an integration starts in <strong>test</strong> mode and the network switches it live once your test orders arrive correctly.</p>
${v.filters}
${dataTable({
    caption: "Platform integrations", rows: v.integrations, state: v.state, rowId: (i) => `integration-${i.id}`,
    empty: "None yet. If your shop runs on Shopify or WooCommerce, or your program runs on Refersion, Impact or Everflow, ask the network to connect it; the setup steps then appear here.",
    columns: [
      { key: "provider", label: "Platform", sortable: true, cell: (i) => html`<a href="/dashboard/brand/integrations/${i.id}">${PROVIDER_LABELS[i.provider] ?? i.provider}</a>` },
      { key: "program", label: "Program", sortable: true, cell: (i) => i.programName },
      { key: "mode", label: "Mode", sortable: true, cell: (i) => badge(i.mode) },
      { key: "webhook", label: "Webhook URL", cell: (i) => copyField(`wh-${i.id}`, i.webhookUrl, `Webhook URL for ${i.programName}`) },
      { key: "created", label: "Connected", sortable: true, cell: (i) => when(i.createdAt, v.tz) },
    ],
  })}${v.pager}</section>
<section class="panel" id="shopify"><h2>Shopify</h2>${shopifySteps(shop?.webhookUrl ?? "", v.clickParam)}</section>
<section class="panel" id="woocommerce"><h2>WooCommerce</h2>${wooSteps(woo?.webhookUrl ?? "", v.clickParam)}</section>`;
}

const OTHER_STEPS: Record<string, (i: IntegrationListItem) => SafeHtml> = {
  refersion: () => html`<ol class="steps"><li>In Refersion open <strong>Settings → Webhooks</strong> (or ask your Refersion contact) and add the webhook URL for conversion events.</li><li>Refersion signs each call with the shared secret agreed with the network.</li><li>Pass the click id as the conversion's <code>sub_id</code>.</li></ol>`,
  impact: (i) => html`<ol class="steps"><li>In Impact open the program's <strong>Settings → Postbacks</strong> and add a server postback with the URL the network gave you${i.basicUser ? html` (authenticated as <code>${i.basicUser}</code>)` : ""}.</li><li>Map <code>SubId1</code> to the click id.</li></ol>`,
  everflow: (i) => html`<ol class="steps"><li>In Everflow add a partner postback with the webhook URL, with <code>sub1={sub1}</code>, <code>transaction_id={transaction_id}</code>, the amount and event.</li><li>Calls are accepted from the allowed addresses only${i.ipAllowlist ? html`: <code>${i.ipAllowlist.join(", ")}</code>` : ""}.</li><li>Amounts are read in ${i.currency ?? i.programCurrency}.</li></ol>`,
  generic: (i) => html`<ol class="steps"><li>POST JSON <code>{vendor_id, order_id, order_total, commission_total, currency, submission_id, occurred_at}</code> to the webhook URL${i.vendorId ? html` with <code>vendor_id</code> <code>${i.vendorId}</code>` : ""}.</li><li>Send the shared secret in the <code>x-lastclick-secret</code> header; <code>submission_id</code> is the click id.</li></ol>`,
};

/** One integration's setup for the brand: the URL and where to put it. */
export function brandIntegrationDetailView(i: IntegrationListItem, clickParam: string, tz: string): SafeHtml {
  const steps = i.provider === "shopify" ? shopifySteps(i.webhookUrl, clickParam) : i.provider === "woocommerce" ? wooSteps(i.webhookUrl, clickParam) : html`${copyField("webhook-url", i.webhookUrl, "Webhook URL")}${OTHER_STEPS[i.provider]?.(i) ?? ""}`;
  return html`<div class="page-head"><p class="crumbs"><a href="/dashboard/brand/integrations">Integrations</a></p><h1>${PROVIDER_LABELS[i.provider] ?? i.provider} for ${i.programName} ${badge(i.mode)}</h1><p class="muted">Connected ${when(i.createdAt, tz)}. ${i.mode === "test" ? "Test mode: send a test order (total 0.01 or an order id starting with TEST); the network switches it live once it arrives correctly." : "Live: its conversions count."}</p></div>
<section class="panel"><h2>Setup</h2>${steps}</section>`;
}
