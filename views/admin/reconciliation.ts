import type { ReconRow } from "../../src/settlement/reconcile";
import type { ReconRun } from "../../src/settlement/reconciliation-runs";
import { dataTable, pager, type TableState } from "../components/data";
import { csrfField, field, formError, select, type Errors } from "../components/form";
import { when } from "../components/when";
import { html, type SafeHtml } from "../html";

export const VERDICTS = ["matched", "amount_differs", "status_differs", "missing_here", "missing_there", "duplicate_in_file", "currency_differs", "unreadable"] as const;
const LABEL: Record<string, string> = {
  matched: "Matched", amount_differs: "Amount differs", status_differs: "Status differs", missing_here: "Missing here", missing_there: "Missing there",
  duplicate_in_file: "Duplicate in file", currency_differs: "Currency differs", unreadable: "Unreadable",
};
const FIELD_LABEL: Record<string, string> = { order_id: "Order id (required)", amount: "Sale amount (required)", status: "Status (required)", commission: "Commission", currency: "Currency" };

export interface RunListItem { id: string; integration: string; period: string; created_at: number; rows_in_file: number; totals: Record<string, number> }
export interface ReconciliationView {
  csrf: string;
  zone: string;
  integrations: { id: string; label: string }[];
  runs: RunListItem[];
  suggested: string;
  values?: Record<string, string>;
  errors?: Errors;
  error?: string | null;
  /** Unknown headers: the file's headers to map by hand, and the file carried along so it need not be chosen again. */
  mapping?: { headers: string[]; fileB64: string; fileName: string } | null;
  fields: readonly string[];
}

export function reconciliationView(v: ReconciliationView): SafeHtml {
  const val = v.values ?? {};
  return html`<div class="page-head"><h1>Reconciliation</h1><p class="muted">Compare a platform's report (Refersion, Impact, Everflow or the generic <code>order_id,amount,commission,currency,status</code> form) with our conversions of that integration's program, row by row. Nothing changes until you import missing rows.</p></div>
<section class="panel"><h2>${v.mapping ? "Map the report's columns" : "Upload a platform report"}</h2>
${formError(v.error)}
<form method="post" action="/admin/reconciliation" enctype="multipart/form-data" class="grid-form recon-form" novalidate>${csrfField(v.csrf)}
${select({ name: "integration_id", label: "Integration", value: val.integration_id, errors: v.errors, options: [{ value: "", label: v.integrations.length ? "Choose…" : "No integrations yet" }, ...v.integrations.map((i) => ({ value: i.id, label: i.label }))] })}
${field({ name: "period", label: "Month (YYYY-MM)", value: val.period ?? v.suggested, errors: v.errors, required: true })}
${v.mapping ? html`<input type="hidden" name="file_b64" value="${v.mapping.fileB64}"><input type="hidden" name="file_name" value="${v.mapping.fileName}">
<div class="field mapping-note"><p class="small">The columns of <strong>${v.mapping.fileName}</strong> were not recognised. Choose which of its columns holds each of our fields; the mapping is remembered for this integration.</p></div>
${v.fields.map((f) => select({ name: `map_${f}`, label: FIELD_LABEL[f] ?? f, value: val[`map_${f}`], errors: v.errors, options: [{ value: "", label: "— not in the file —" }, ...v.mapping!.headers.map((h) => ({ value: h, label: h }))] }))}`
    : html`<div class="field${v.errors?.file ? " has-error" : ""}"><label for="f-file">Report (CSV)</label><input id="f-file" type="file" name="file" accept=".csv,text/csv"${v.errors?.file ? html` aria-invalid="true" aria-describedby="f-file-err"` : ""}>
${v.errors?.file ? html`<p class="error" id="f-file-err">${v.errors.file.join("; ")}</p>` : ""}</div>`}
<div class="form-actions"><button type="submit" class="primary">${v.mapping ? "Reconcile with this mapping" : "Reconcile"}</button></div>
</form>
${v.integrations.length === 0 ? html`<p class="muted small">Reports are compared per platform integration. Create an integration for a program first.</p>` : ""}</section>
<section class="panel" id="reconciliation-runs"><h2>Recent reports <span class="count">${v.runs.length}</span></h2>
${dataTable({
    caption: "Reconciliation reports", rows: v.runs, state: { path: "/admin/reconciliation", params: new URLSearchParams() }, rowId: (r) => `run-${r.id}`,
    empty: "Upload a platform's monthly report above to see its row-by-row comparison here.",
    columns: [
      { key: "created_at", label: "Run", cell: (r) => html`<a href="/admin/reconciliation/${r.id}">${when(r.created_at, v.zone, true)}</a>` },
      { key: "integration", label: "Integration", cell: (r) => r.integration },
      { key: "period", label: "Period", cell: (r) => r.period },
      { key: "rows", label: "Rows", numeric: true, cell: (r) => r.rows_in_file },
      { key: "matched", label: "Matched", numeric: true, cell: (r) => r.totals.matched ?? 0 },
      { key: "differs", label: "Differ", numeric: true, cell: (r) => (r.totals.amount_differs ?? 0) + (r.totals.status_differs ?? 0) + (r.totals.currency_differs ?? 0) },
      { key: "missing_here", label: "Missing here", numeric: true, cell: (r) => r.totals.missing_here ?? 0 },
      { key: "missing_there", label: "Missing there", numeric: true, cell: (r) => r.totals.missing_there ?? 0 },
    ],
  })}</section>`;
}

export interface ReconReportView { run: ReconRun; integration: string; rows: ReconRow[]; total: number; nextCursor: string | null; state: TableState; csrf: string; zone: string; verdict: string | null }

/** One report: totals per verdict (links that filter), the rows, CSV download, import of "missing here" rows. */
export function reconReportView(v: ReconReportView): SafeHtml {
  const r = v.run.report;
  const base = `/admin/reconciliation/${v.run.id}`;
  const missing = r.totals.missing_here ?? 0;
  return html`<div class="page-head"><p class="crumbs"><a href="/admin/reconciliation">Reconciliation</a></p><h1>Report ${r.period}</h1>
<p class="muted">${v.integration} · ${r.rows_in_file} row(s) in the file · run ${when(v.run.created_at, v.zone, true)}</p></div>
<section class="panel"><h2>Totals</h2>
<ul class="verdicts">${html`<li><a href="${base}"${v.verdict ? "" : html` aria-current="true"`}>All <strong>${r.rows.length}</strong></a></li>`}${VERDICTS.filter((k) => (r.totals[k] ?? 0) > 0 || k === "matched").map((k) => html`<li class="verdict-${k}"><a href="${base}?verdict=${k}"${v.verdict === k ? html` aria-current="true"` : ""}>${LABEL[k]} <strong>${r.totals[k] ?? 0}</strong></a></li>`)}</ul>
<p class="small muted">Columns used: ${Object.entries(r.mapping).map(([k, h]) => html`<code>${k}</code> ← ${h ?? html`<em>none</em>`}; `)}</p>
<div class="row-actions"><a class="button secondary" href="${base}?format=csv${v.verdict ? `&verdict=${v.verdict}` : ""}" download>Download CSV</a>
${missing > 0 ? html`<form method="post" action="${base}/import" class="inline">${csrfField(v.csrf)}<button type="submit" class="primary">Import ${missing} missing row(s) as conversions</button></form>` : ""}</div>
${missing > 0 ? html`<p class="small muted">Imported rows are recorded through the normal path: pending, unattributed (no click reached us), once per order id.</p>` : ""}
</section>
<section class="panel" id="recon-rows"><h2>${v.verdict ? LABEL[v.verdict] ?? "Rows" : "All rows"} <span class="count">${v.total}</span></h2>
${dataTable({
    caption: "Rows", rows: v.rows, state: v.state,
    empty: "No rows with this verdict.",
    columns: [
      { key: "verdict", label: "Verdict", cell: (x) => html`<span class="badge verdict verdict-${x.verdict}">${LABEL[x.verdict] ?? x.verdict}</span>` },
      { key: "order_id", label: "Order", cell: (x) => html`<code>${x.order_id}</code>` },
      { key: "line", label: "Line", numeric: true, cell: (x) => x.line ?? "" },
      { key: "theirs", label: "Theirs", numeric: true, cell: (x) => x.theirs ? html`${x.theirs.amount ?? "—"} ${x.theirs.currency ?? ""}<div class="muted small">${x.theirs.status ?? ""}</div>` : html`<span class="muted">—</span>` },
      { key: "ours", label: "Ours", numeric: true, cell: (x) => x.ours ? html`${x.ours.amount} ${x.ours.currency}<div class="muted small">${x.ours.status}</div>` : html`<span class="muted">—</span>` },
      { key: "note", label: "Note", cell: (x) => x.note ?? "" },
    ],
  })}
${pager({ path: base, params: v.state.params, nextCursor: v.nextCursor })}</section>`;
}
