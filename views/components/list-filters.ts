import { html, type SafeHtml } from "../html";

/** From / to day inputs and an optional status select, for a filterBar. */
export function dateStatusControls(params: URLSearchParams, statuses?: { value: string; label: string }[], statusLabel = "Status"): SafeHtml {
  const sel = params.get("status") ?? "";
  return html`<div class="field"><label for="flt-from">From</label><input id="flt-from" type="date" name="from" value="${params.get("from") ?? ""}"></div>
<div class="field"><label for="flt-to">To</label><input id="flt-to" type="date" name="to" value="${params.get("to") ?? ""}"></div>
${statuses ? html`<div class="field"><label for="flt-status">${statusLabel}</label><select id="flt-status" name="status"><option value="">Any</option>${statuses.map((s) => html`<option value="${s.value}"${s.value === sel ? html` selected` : ""}>${s.label}</option>`)}</select></div>` : ""}
${params.get("sort") ? html`<input type="hidden" name="sort" value="${params.get("sort")!}"><input type="hidden" name="dir" value="${params.get("dir") ?? "asc"}">` : ""}`;
}
