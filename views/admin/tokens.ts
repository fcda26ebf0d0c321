import { badge, dataTable, type TableState } from "../components/data";
import { copyField } from "../components/copy";
import { csrfField, field, type Errors } from "../components/form";
import { when } from "../components/when";
import { html, type SafeHtml } from "../html";

export interface TokenItem { id: string; name: string; created_at: string | null; last_used_at: string | null; revoked_at: string | null }

export interface TokensView {
  tokens: TokenItem[];
  csrf: string;
  tz: string;
  state: TableState;
  /** Filter bar (dates, status, CSV) and pager, built by the route. */
  filters?: SafeHtml;
  pager?: SafeHtml;
  values?: Record<string, string>;
  errors?: Errors;
  created?: { name: string; token: string } | null;
}

export function tokensView(v: TokensView): SafeHtml {
  return html`<div class="page-head"><h1>Admin API tokens</h1><p class="muted">Tokens (<code>lc_admin_…</code>) for scripts that use the management API (<a href="/api/openapi.json">OpenAPI</a>). Last use is accurate to a minute; a revoked token fails from the next request.</p></div>
${v.created ? html`<div class="flash flash-ok key-created" role="status"><p><strong>Token "${v.created.name}" created.</strong> Copy it now: it is shown only this once.</p>${copyField("new-token", v.created.token, "New admin token")}</div>` : ""}
<section class="panel"><h2>Create a token</h2>
<form method="post" action="/admin/tokens" class="grid-form" novalidate>${csrfField(v.csrf)}
${field({ name: "name", label: "Name", value: v.values?.name, errors: v.errors, hint: "What uses it, e.g. \"billing export\"." })}
<div class="form-actions"><button type="submit" class="primary">Create token</button></div></form></section>
<section class="panel"><h2>Tokens <span class="count">${v.tokens.filter((t) => !t.revoked_at).length} active</span></h2>
${v.filters ?? ""}
${dataTable({
    caption: "Admin tokens", rows: v.tokens, state: v.state, rowId: (t) => `token-${t.id}`,
    empty: "Create a token for each script, so each can be revoked alone.",
    columns: [
      { key: "name", label: "Name", sortable: true, cell: (t) => t.name },
      { key: "created", label: "Created", sortable: true, cell: (t) => when(t.created_at, v.tz) },
      { key: "last_used", label: "Last used", sortable: true, cell: (t) => when(t.last_used_at, v.tz) },
      { key: "status", label: "Status", sortable: true, cell: (t) => t.revoked_at ? html`<span class="badge badge-revoked">revoked</span>` : badge("active") },
      { key: "actions", label: "Actions", cell: (t) => t.revoked_at ? "" : html`<form method="post" action="/admin/tokens/${t.id}/revoke" class="inline" onsubmit="return confirm('Revoke this token? Scripts using it fail at once.')">${csrfField(v.csrf)}<button type="submit" class="small danger" aria-label="Revoke token ${t.name}">Revoke</button></form>` },
    ],
  })}${v.pager ?? ""}</section>`;
}
