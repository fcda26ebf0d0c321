import type { NetworkSettings } from "../../src/settings/network-settings";
import { dataTable, pager, type TableState } from "../components/data";
import { csrfField, field, formError, type Errors } from "../components/form";
import { when } from "../components/when";
import { html, type SafeHtml } from "../html";

export interface FxItem { base: string; quote: string; rate: string; updated_ms: number }

export function fxRatesView(v: { rows: FxItem[]; total: number; state: TableState; nextCursor: string | null; filters: SafeHtml; csrf: string; tz: string; values?: Record<string, string>; errors?: Errors }): SafeHtml {
  return html`<div class="page-head"><h1>FX rates</h1><p class="muted">A sale reported in another currency than its program's is converted with these rates (1 base = rate quote). Without a rate the postback is refused with a message naming the missing pair.</p></div>
<section class="panel"><h2>Set a rate</h2><form method="post" action="/admin/fx-rates" class="grid-form" novalidate>${csrfField(v.csrf)}
${field({ name: "base", label: "Base currency", value: v.values?.base, errors: v.errors, hint: "e.g. EUR" })}
${field({ name: "quote", label: "Quote currency", value: v.values?.quote, errors: v.errors, hint: "e.g. USD (a program currency)" })}
${field({ name: "rate", label: "Rate", value: v.values?.rate, errors: v.errors, hint: "Exact decimal, up to 12 places: 1.0842" })}
<div class="form-actions"><button type="submit" class="primary">Save rate</button></div></form></section>
<section class="panel">${v.filters}
${dataTable({
    caption: "FX rates", rows: v.rows, state: v.state, rowId: (r) => `fx-${r.base}-${r.quote}`,
    empty: "Add a rate above when a brand reports sales in a currency other than its program's.",
    columns: [
      { key: "pair", label: "Pair", sortable: true, cell: (r) => html`<strong>${r.base}</strong> → ${r.quote}` },
      { key: "rate", label: "Rate", numeric: true, cell: (r) => html`<code>1 ${r.base} = ${r.rate} ${r.quote}</code>` },
      { key: "updated", label: "Updated", sortable: true, cell: (r) => when(r.updated_ms, v.tz) },
    ],
  })}
${pager({ path: v.state.path, params: v.state.params, nextCursor: v.nextCursor })}</section>`;
}

function textarea(o: { name: string; label: string; value: string; errors?: Errors; hint?: string; rows?: number }): SafeHtml {
  const errs = o.errors?.[o.name] ?? [];
  return html`<div class="field wide${errs.length ? " has-error" : ""}"><label for="f-${o.name}">${o.label}</label>
<textarea id="f-${o.name}" name="${o.name}" rows="${o.rows ?? 3}"${errs.length ? html` aria-invalid="true" aria-describedby="f-${o.name}-err"` : ""}>${o.value}</textarea>
${o.hint ? html`<p class="hint">${o.hint}</p>` : ""}${errs.length ? html`<p class="error" id="f-${o.name}-err">${errs.join("; ")}</p>` : ""}</div>`;
}

export function networkSettingsView(v: { s: NetworkSettings; values?: Record<string, string>; errors?: Errors; error?: string | null; csrf: string; zones: string[] }): SafeHtml {
  const val = v.values ?? {
    network_name: v.s.networkName, legal_name: v.s.legalName, legal_address: v.s.legalAddress, tax_id: v.s.taxId, email: v.s.email,
    ...Object.fromEntries(Object.entries(v.s.wire ?? {}).map(([k, x]) => [`wire_${k}`, x ?? ""])),
    ...Object.fromEntries(Object.entries(v.s.ach ?? {}).map(([k, x]) => [`ach_${k}`, x ?? ""])),
    timezone: v.s.timezone, default_fee_pct: v.s.defaultFeePct, payout_threshold: v.s.payoutThreshold, open_signup: v.s.openSignup ? "on" : "",
  };
  return html`<div class="page-head"><h1>Settings</h1><p class="muted">How the network presents itself, bills brands and pays publishers. Every change is written to the audit log.</p></div>
${formError(v.error)}
<form method="post" action="/admin/settings" class="panel" novalidate>${csrfField(v.csrf)}
<h2>Network</h2><div class="grid-form">
${field({ name: "network_name", label: "Network name", value: val.network_name, errors: v.errors, hint: "Shown on every page and on invoices" })}
<div class="field${v.errors?.timezone ? " has-error" : ""}"><label for="f-timezone">Timezone</label>
<input id="f-timezone" name="timezone" list="zones" value="${val.timezone ?? ""}" autocomplete="off"${v.errors?.timezone ? html` aria-invalid="true" aria-describedby="f-timezone-err"` : ""}>
<datalist id="zones">${v.zones.map((z) => html`<option value="${z}">`)}</datalist>
<p class="hint">IANA name, e.g. America/New_York. Dates in the console use it.</p>${v.errors?.timezone ? html`<p class="error" id="f-timezone-err">${v.errors.timezone.join("; ")}</p>` : ""}</div>
<div class="field check"><label><input type="checkbox" name="open_signup" value="on"${val.open_signup === "on" ? html` checked` : ""}> Open publisher signup at /signup (new publishers wait for approval)</label></div>
</div>
<h2>Money</h2><div class="grid-form">
${field({ name: "default_fee_pct", label: "Default network fee %", value: val.default_fee_pct, errors: v.errors, hint: "Prefilled on new programs" })}
${field({ name: "payout_threshold", label: "Payout threshold", value: val.payout_threshold, errors: v.errors, hint: "In each payout's currency; smaller balances carry over" })}
</div>
<h2>Legal details for invoices</h2><div class="grid-form">
${field({ name: "legal_name", label: "Company name", value: val.legal_name, errors: v.errors })}
${field({ name: "tax_id", label: "Tax ID / VAT number", value: val.tax_id, errors: v.errors })}
${textarea({ name: "legal_address", label: "Address", value: val.legal_address ?? "", errors: v.errors })}
${field({ name: "email", label: "Billing email", value: val.email, errors: v.errors, hint: "Printed on invoices and statements" })}
</div>
<h2>USD wire</h2><p class="muted small">Printed on invoices so brands can pay by wire. Leave every field blank to omit it.</p><div class="grid-form">
${field({ name: "wire_bank_name", label: "Bank name", value: val.wire_bank_name, errors: v.errors })}
${field({ name: "wire_account_name", label: "Account name", value: val.wire_account_name, errors: v.errors })}
${field({ name: "wire_account_number", label: "Account number / IBAN", value: val.wire_account_number, errors: v.errors })}
${field({ name: "wire_swift", label: "SWIFT / BIC", value: val.wire_swift, errors: v.errors, hint: "Optional" })}
${field({ name: "wire_bank_address", label: "Bank address", value: val.wire_bank_address, errors: v.errors, hint: "Optional" })}
</div>
<h2>ACH</h2><p class="muted small">Printed on invoices for US brands. Leave every field blank to omit it.</p><div class="grid-form">
${field({ name: "ach_bank_name", label: "Bank name", value: val.ach_bank_name, errors: v.errors })}
${field({ name: "ach_account_name", label: "Account name", value: val.ach_account_name, errors: v.errors })}
${field({ name: "ach_routing_number", label: "Routing number", value: val.ach_routing_number, errors: v.errors, hint: "9 digits" })}
${field({ name: "ach_account_number", label: "Account number", value: val.ach_account_number, errors: v.errors, hint: "4 to 17 digits" })}
</div>
<div class="form-actions"><button type="submit" class="primary">Save settings</button></div></form>`;
}
