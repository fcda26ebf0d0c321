import { badge, dataTable, type TableState } from "./data";
import { copyField } from "./copy";
import { csrfField } from "./form";
import { when } from "./when";
import { html, type SafeHtml } from "../html";

export interface KeyItem { id: string; mode: string; prefix: string; created_at: string | null; revoked_at: string | null }

export interface KeysPanel {
  keys: KeyItem[];
  /** Where the create form posts; revoke posts to `${action}/{id}/revoke`. */
  action: string;
  csrf: string;
  tz: string;
  state: TableState;
  /** Filter bar (dates, status, CSV) and pager, built by the route. */
  filters?: SafeHtml;
  pager?: SafeHtml;
  /** The key just created: shown in this answer only, never again. */
  created?: { key: string; mode: string } | null;
}

/** A brand's API keys: the one-time display of a new key, the create form and the list (prefixes only). */
export function keysPanel(v: KeysPanel): SafeHtml {
  return html`${v.created ? html`<div class="flash flash-ok key-created" role="status"><p><strong>New ${v.created.mode} key created.</strong> Copy it now: it is shown only this once and cannot be recovered (only its hash is stored).</p>${copyField("new-key", v.created.key, "New API key")}</div>` : ""}
<section class="panel"><h2>Create a key</h2>
<p class="muted">Live keys (<code>lc_live_…</code>) record real conversions; test keys (<code>lc_test_…</code>) record test conversions that never reach settlement.</p>
<form method="post" action="${v.action}" class="key-create">${csrfField(v.csrf)}
<button type="submit" name="mode" value="live" class="primary">Create live key</button>
<button type="submit" name="mode" value="test" class="secondary">Create test key</button></form></section>
<section class="panel"><h2>Keys <span class="count">${v.keys.filter((k) => !k.revoked_at).length} active</span></h2>
${v.filters ?? ""}
${dataTable({
    caption: "API keys", rows: v.keys, state: v.state, rowId: (k) => `key-${k.id}`,
    empty: "Create a live key for the shop's server and a test key for trying the integration.",
    columns: [
      { key: "prefix", label: "Key", cell: (k) => html`<code>${k.prefix}…</code>` },
      { key: "mode", label: "Mode", sortable: true, cell: (k) => badge(k.mode) },
      { key: "created", label: "Created", sortable: true, cell: (k) => when(k.created_at, v.tz) },
      { key: "status", label: "Status", sortable: true, cell: (k) => k.revoked_at ? html`<span class="badge badge-revoked">revoked</span> <span class="muted small">${when(k.revoked_at, v.tz)}</span>` : badge("active") },
      { key: "actions", label: "Actions", cell: (k) => k.revoked_at ? "" : html`<form method="post" action="${v.action}/${k.id}/revoke" class="inline" onsubmit="return confirm('Revoke this key? Calls with it fail at once.')">${csrfField(v.csrf)}<button type="submit" class="small danger" aria-label="Revoke key ${k.prefix}">Revoke</button></form>` },
    ],
  })}${v.pager ?? ""}</section>`;
}
