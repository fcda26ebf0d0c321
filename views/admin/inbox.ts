import type { serializeInbox } from "../../src/integrations/inbox";
import { badge, dataTable, filterBar, pager, type TableState } from "../components/data";
import { csrfField } from "../components/form";
import { dateStatusControls } from "../components/list-filters";
import { when } from "../components/when";
import { html, type SafeHtml } from "../html";
import { PROVIDER_LABELS } from "./integrations";

export type InboxItem = ReturnType<typeof serializeInbox>;

export interface InboxView {
  rows: InboxItem[];
  state: TableState;
  nextCursor: string | null;
  csvHref: string;
  tz: string;
  integrations: { id: string; label: string }[];
  csrf: string;
}

const VERDICTS = ["accepted", "duplicate", "updated", "rejected"];

function sel(name: string, label: string, value: string, options: { value: string; label: string }[]): SafeHtml {
  return html`<div class="field"><label for="flt-${name}">${label}</label><select id="flt-${name}" name="${name}"><option value="">Any</option>${options.map((o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ""}>${o.label}</option>`)}</select></div>`;
}

/** The replay button: htmx swaps in the new verdict; without htmx the form posts and redirects. */
export function replayButton(id: string, csrf: string): SafeHtml {
  return html`<form method="post" action="/admin/inbox/${id}/replay" class="inline" hx-post="/admin/inbox/${id}/replay" hx-target="#replay-${id}" hx-swap="innerHTML">${csrfField(csrf)}<button type="submit" class="small secondary">Replay</button></form><div id="replay-${id}" class="replay-result" aria-live="polite"></div>`;
}

const size = (n: number) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);

export function inboxView(v: InboxView): SafeHtml {
  const p = v.state.params;
  const label = new Map(v.integrations.map((i) => [i.id, i.label]));
  const controls = html`${sel("provider", "Provider", p.get("provider") ?? "", [...Object.entries(PROVIDER_LABELS).map(([value, label]) => ({ value, label })), { value: "postback", label: "Brand postback (/api/conv)" }])}
${sel("integration_id", "Integration", p.get("integration_id") ?? "", v.integrations.map((i) => ({ value: i.id, label: i.label })))}
${sel("verdict", "Verdict", p.get("verdict") ?? "", VERDICTS.map((x) => ({ value: x, label: x })))}
${dateStatusControls(p)}`;
  return html`<div class="page-head"><h1>Postback inbox</h1><p class="muted">Every request to <code>/api/conv</code> and the platform webhooks, with its verdict and the reason in words. Credentials are redacted. Newest first.</p></div>
<section class="panel">
${filterBar({ path: "/admin/inbox", csvHref: v.csvHref, controls })}
${dataTable({
    caption: "Inbox requests", rows: v.rows, state: v.state, rowId: (r) => `inbox-${r.id}`,
    empty: html`Every request to <code>/api/conv</code> and the platform webhooks lands here. <a href="/admin/integrations">Connect a platform</a> and send a test conversion to see the first one.`,
    columns: [
      { key: "received", label: "Received", cell: (r) => when(r.received_at, v.tz) },
      { key: "provider", label: "Provider", cell: (r) => html`${PROVIDER_LABELS[r.provider] ?? r.provider}<div class="muted small">${r.method}${r.integration_id ? html` · ${label.get(r.integration_id) ?? ""}` : ""}</div>` },
      { key: "verdict", label: "Verdict", cell: (r) => html`${badge(r.verdict)} <span class="muted small">${r.status_code}</span>` },
      { key: "reason", label: "Reason", cell: (r) => html`<span class="reason">${r.reason.length > 140 ? `${r.reason.slice(0, 140)}…` : r.reason}</span>${r.repeat_count > 1 ? html`<div class="small"><span class="badge badge-pending">×${r.repeat_count} sampled</span></div>` : ""}` },
      { key: "size", label: "Body", numeric: true, cell: (r) => html`${size(r.body_bytes)}${r.body_excerpt ? html`<div class="muted small">excerpt</div>` : ""}` },
      { key: "actions", label: "Actions", cell: (r) => html`<div class="row-actions"><a href="/admin/inbox/${r.id}">Details</a>${r.provider !== "postback" ? replayButton(r.id, v.csrf) : ""}</div>` },
    ],
  })}
${pager({ path: "/admin/inbox", params: p, nextCursor: v.nextCursor })}
</section>`;
}

export interface InboxDetailView { row: InboxItem; tz: string; csrf: string; integrationLabel: string | null }

export function inboxDetailView(v: InboxDetailView): SafeHtml {
  const r = v.row;
  const headers = Object.entries(r.headers as Record<string, string>);
  return html`<div class="page-head"><p class="crumbs"><a href="/admin/inbox">Inbox</a></p><h1>${PROVIDER_LABELS[r.provider] ?? r.provider} request ${badge(r.verdict)}</h1><p class="muted">Received ${when(r.received_at, v.tz)} (${v.tz}).</p></div>
<section class="panel"><h2>Verdict</h2>
<dl class="facts">
<div><dt>Answer</dt><dd>${r.status_code} ${r.verdict}</dd></div>
<div><dt>Integration</dt><dd>${v.integrationLabel ? html`<a href="/admin/integrations">${v.integrationLabel}</a>` : html`<span class="muted">none matched</span>`}</dd></div>
<div><dt>Conversion</dt><dd>${r.conversion_id ? html`<a href="/admin/conversions/${r.conversion_id}">${r.conversion_id}</a>` : html`<span class="muted">none</span>`}</dd></div>
<div><dt>Requests</dt><dd>${r.repeat_count > 1 ? `${r.repeat_count} (a flood sample: identical rejections from one source in one minute)` : "1"}</dd></div>
</dl>
<p class="reason-full"><strong>Reason:</strong> ${r.reason}</p>
${r.replay_of ? html`<p>A replay of <a href="/admin/inbox/${r.replay_of}">${r.replay_of}</a>.</p>` : ""}
${r.provider !== "postback" ? html`<div class="replay">${replayButton(r.id, v.csrf)}<p class="hint muted">Replay runs the stored bytes through the current configuration (signatures are checked again against the current secret) and shows the new verdict.</p></div>` : html`<p class="muted">Brand postbacks cannot be replayed: the brand key is never stored. Ask the brand to resend.</p>`}
</section>
<section class="panel"><h2>Request</h2>
<p><code>${r.method} ${r.url}</code></p>
<h3>Headers</h3>
<div class="table-wrap"><table class="data headers"><caption class="sr-only">Headers</caption><tbody>${headers.map(([k, val]) => html`<tr><th scope="row">${k}</th><td><code>${val}</code></td></tr>`)}</tbody></table></div>
<h3>Body <span class="muted small">${r.body_excerpt ? `first ${Buffer.byteLength(r.body)} of ${r.body_bytes} bytes kept (the request never authenticated)` : `${r.body_bytes} bytes`}</span></h3>
${r.body ? html`<pre class="body-dump"><code>${r.body}</code></pre>` : html`<p class="muted">Empty body.</p>`}
</section>`;
}
