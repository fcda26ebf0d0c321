import { smartLinkTable, type SmartLinkItem } from "../components/smart-links";
import type { TableState } from "../components/data";
import { csrfField, field, formError, select, type Errors } from "../components/form";
import { html, type SafeHtml } from "../html";

export interface AdminSmartLinksView {
  rows: SmartLinkItem[];
  total: number;
  state: TableState;
  tz: string;
  csrf: string;
  filters: SafeHtml;
  pager: SafeHtml;
  publishers: { id: string; name: string }[];
  values?: Record<string, string>;
  errors?: Errors;
  error?: string | null;
}

export function adminSmartLinksView(v: AdminSmartLinksView): SafeHtml {
  const val = v.values ?? {};
  const critErr = v.errors?.criteria ?? [];
  return html`<div class="page-head"><h1>Smart links</h1><p class="muted">A smart link <code>/go/m/{code}</code> sends each visitor to the eligible program that fits best (see the <a href="/admin/rubric">rubric</a> and <a href="/admin/scores">scores</a>), never the one that pays most.</p></div>
<section class="panel"><h2>Create a smart link</h2>
${formError(v.error)}
<form method="post" action="/admin/smart-links" class="stack" novalidate>${csrfField(v.csrf)}
<div class="field${critErr.length ? " has-error" : ""}"><label for="f-criteria">Criteria</label>
<textarea id="f-criteria" name="criteria" rows="3" aria-describedby="f-criteria-hint${critErr.length ? " f-criteria-err" : ""}"${critErr.length ? html` aria-invalid="true"` : ""}>${val.criteria ?? ""}</textarea>
<p class="hint" id="f-criteria-hint">One per line, <code>attribute: value, value</code> — e.g. <code>category: tents</code>, <code>countries: US, CA</code>, <code>devices: mobile</code>. Empty: any program.</p>
${critErr.length ? html`<p class="error" id="f-criteria-err">${critErr.join("; ")}</p>` : ""}</div>
<div class="grid-form">
${select({ name: "publisher_id", label: "Credit a publisher (optional)", value: val.publisher_id, errors: v.errors, options: [{ value: "", label: "No publisher" }, ...v.publishers.map((p) => ({ value: p.id, label: p.name }))] })}
${field({ name: "code", label: "Code (optional)", value: val.code, errors: v.errors, hint: "3-64 letters, digits, _ or -; empty: a random one." })}
<div class="field"><label class="check"><input type="checkbox" name="match_page" value="on"${val.match_page === undefined || val.match_page === "on" ? html` checked` : ""}> Show a match page (/m/code) with the ranked programs</label></div>
</div>
<div class="form-actions"><button type="submit" class="primary">Create smart link</button></div></form></section>
<section class="panel"><h2>Smart links <span class="count">${v.total}</span></h2>
${v.filters}
${smartLinkTable({ rows: v.rows, state: v.state, tz: v.tz, showPublisher: true, empty: "Create the first smart link with the form above (a rubric and scored programs are needed first)." })}
${v.pager}</section>`;
}
