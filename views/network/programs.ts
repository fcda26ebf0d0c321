import type { serializeProgram } from "../../src/network/programs";
import { badge, dataTable, pager, type TableState } from "../components/data";
import { csrfField, field, formError, select, type Errors } from "../components/form";
import { when } from "../components/when";
import { html, type SafeHtml } from "../html";

export type ProgramItem = ReturnType<typeof serializeProgram> & { brand_name: string; created_ms: number; approved_count: number };
export const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "JPY", "CHF", "SEK", "NOK", "DKK", "PLN", "BRL", "MXN", "INR", "CNY", "SGD", "HKD", "NZD", "ZAR", "KWD"];

export function commissionText(p: { commission_type: string; commission_value: string; currency: string }): string {
  return p.commission_type === "flat_cpa" ? `${p.commission_value} ${p.currency} per sale` : `${p.commission_value}% of sale`;
}

function statusButton(p: ProgramItem, csrf: string): SafeHtml {
  const to = p.status === "active" ? "paused" : "active";
  return html`<form method="post" action="/admin/programs/${p.id}/status" class="inline">${csrfField(csrf)}<input type="hidden" name="status" value="${to}"><button type="submit" class="small secondary" aria-label="${to === "paused" ? "Pause" : "Resume"} ${p.name}">${to === "paused" ? "Pause" : "Resume"}</button></form>`;
}

export function programsListView(v: { rows: ProgramItem[]; total: number; state: TableState; nextCursor: string | null; filters: SafeHtml; csrf: string; tz: string }): SafeHtml {
  return html`<div class="page-head with-action"><div><h1>Programs</h1><p class="muted">Offers brands pay commission on. Publishers apply to active programs.</p></div>
<a class="button primary" href="/admin/programs/new">New program</a></div>
<section class="panel">${v.filters}
<h2 class="sr-only">All programs</h2><p class="muted small">${v.total} program${v.total === 1 ? "" : "s"}</p>
${dataTable({
    caption: "Programs", rows: v.rows, state: v.state, rowId: (p) => `program-${p.id}`,
    empty: html`<a href="/admin/programs/new">Create a program</a> for a brand; then approve publishers for it.`,
    columns: [
      { key: "name", label: "Program", sortable: true, cell: (p) => html`<a href="/admin/programs/${p.id}">${p.name}</a>` },
      { key: "brand", label: "Brand", sortable: true, cell: (p) => p.brand_name },
      { key: "status", label: "Status", sortable: true, cell: (p) => badge(p.status) },
      { key: "commission", label: "Commission", cell: (p) => commissionText(p) },
      { key: "currency", label: "Currency", sortable: true, cell: (p) => p.currency },
      { key: "fee", label: "Network fee", numeric: true, sortable: true, cell: (p) => `${p.network_fee_pct}%` },
      { key: "publishers", label: "Publishers", numeric: true, sortable: true, cell: (p) => p.approved_count },
      { key: "created", label: "Created", sortable: true, cell: (p) => when(p.created_ms, v.tz) },
      { key: "actions", label: "Actions", cell: (p) => html`<div class="row-actions"><a class="button small secondary" href="/admin/programs/${p.id}">Edit</a>${statusButton(p, v.csrf)}</div>` },
    ],
  })}
${pager({ path: v.state.path, params: v.state.params, nextCursor: v.nextCursor })}</section>`;
}

export interface ProgramFormView {
  mode: "create" | "edit";
  program?: ProgramItem;
  brands: { id: string; name: string }[];
  values: Record<string, string>;
  devices: string[];
  errors?: Errors;
  error?: string | null;
  csrf: string;
  /** The canonical destination as stored (shown back after save). */
  savedUrl?: string | null;
}

export function destPreview(o: { url?: string; problem?: string }): SafeHtml {
  if (o.problem) return html`<p id="dest-preview" class="error" role="alert">Destination URL ${o.problem}.</p>`;
  if (o.url) return html`<p id="dest-preview" class="hint preview">Visitors will be sent to <code>${o.url}</code></p>`;
  return html`<p id="dest-preview" class="hint preview"></p>`;
}

export function programFormView(v: ProgramFormView): SafeHtml {
  const val = v.values;
  const e = v.errors;
  const action = v.mode === "create" ? "/admin/programs" : `/admin/programs/${v.program!.id}`;
  const title = v.mode === "create" ? "New program" : v.program!.name;
  const destErr = e?.dest_url?.length;
  return html`<div class="page-head with-action"><div><p class="crumbs"><a href="/admin/programs">Programs</a></p><h1>${title}</h1>
${v.program ? html`<p class="muted">${v.program.brand_name} · ${badge(v.program.status)}</p>` : html`<p class="muted">The brand pays the commission; the network keeps its fee from it.</p>`}</div>
${v.program ? html`<form method="post" action="/admin/programs/${v.program.id}/status" class="inline">${csrfField(v.csrf)}<input type="hidden" name="status" value="${v.program.status === "active" ? "paused" : "active"}"><button type="submit" class="secondary">${v.program.status === "active" ? "Pause program" : "Resume program"}</button></form>` : ""}</div>
${v.savedUrl ? html`<div class="flash flash-ok" role="status" id="saved-url">Saved. Tracking links send visitors to <code>${v.savedUrl}</code></div>` : ""}
${formError(v.error)}
<form method="post" action="${action}" class="panel program-form" novalidate>${csrfField(v.csrf)}
<h2>Basics</h2><div class="grid-form">
${v.mode === "create" ? select({ name: "brand_id", label: "Brand", value: val.brand_id, errors: e, options: [{ value: "", label: "Choose a brand" }, ...v.brands.map((b) => ({ value: b.id, label: b.name }))] }) : ""}
${field({ name: "name", label: "Program name", value: val.name, required: true, errors: e })}
<div class="field wide${destErr ? " has-error" : ""}"><label for="f-dest_url">Destination URL</label>
<input id="f-dest_url" name="dest_url" type="url" value="${val.dest_url ?? ""}" required placeholder="https://shop.example/landing" aria-describedby="dest-preview${destErr ? " f-dest_url-err" : ""}"${destErr ? html` aria-invalid="true"` : ""}
 hx-get="/admin/programs/preview-url" hx-trigger="blur, change" hx-target="#dest-preview" hx-swap="outerHTML" hx-include="this">
${destErr ? html`<p class="error" id="f-dest_url-err">${e!.dest_url!.join("; ")}</p>` : ""}
${destPreview({ url: v.program?.dest_url })}</div>
</div>
<h2>Commission</h2><div class="grid-form">
${select({ name: "commission_type", label: "Commission type", value: val.commission_type ?? "percentage", errors: e, options: [{ value: "percentage", label: "Percentage of the sale" }, { value: "flat_cpa", label: "Flat amount per sale (CPA)" }] })}
${field({ name: "commission_value", label: "Commission (percent or amount)", value: val.commission_value, errors: e, hint: "10 means 10% or 10.00 in the currency" })}
${v.mode === "create" ? select({ name: "currency", label: "Currency", value: val.currency ?? "USD", errors: e, options: CURRENCIES.map((c) => ({ value: c, label: c })) }) : html`<div class="field"><span class="label">Currency</span><p class="static">${v.program!.currency}</p></div>`}
${field({ name: "network_fee_pct", label: "Network fee %", value: val.network_fee_pct, errors: e, hint: "Share of the commission the network keeps" })}
${field({ name: "cookie_window_days", label: "Cookie window (days)", type: "number", value: val.cookie_window_days, errors: e })}
${field({ name: "auto_approve_days", label: "Auto-approve after (days)", type: "number", value: val.auto_approve_days, errors: e, hint: "Empty: conversions wait for review" })}
<div class="field check"><label><input type="checkbox" name="pass_through_params" value="on"${val.pass_through_params === "on" ? html` checked` : ""}> Pass sub-ids and UTM tags on to the destination</label></div>
</div>
<h2>Attributes <span class="muted small">(for smart links and the marketplace)</span></h2><div class="grid-form">
${field({ name: "category", label: "Category", value: val.category, errors: e, hint: "e.g. outdoor, fashion" })}
${field({ name: "countries", label: "Countries", value: val.countries, errors: e, hint: "ISO codes, comma separated (US, CA); empty: anywhere" })}
<fieldset class="field${e?.devices ? " has-error" : ""}"><legend>Devices</legend>${["desktop", "mobile", "tablet"].map((d) => html`<label class="inline-check"><input type="checkbox" name="devices" value="${d}"${v.devices.includes(d) ? html` checked` : ""}> ${d}</label>`)}
<p class="hint">None ticked: every device</p>${e?.devices ? html`<p class="error">${e.devices.join("; ")}</p>` : ""}</fieldset>
</div>
<div class="form-actions"><button type="submit" class="primary">${v.mode === "create" ? "Create program" : "Save changes"}</button><a href="/admin/programs">Cancel</a></div>
</form>`;
}
