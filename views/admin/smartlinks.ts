import type { Board } from "../../src/smartlinks/board";
import type { serializeRubric } from "../../src/smartlinks/serialize";
import { badge, dataTable, type TableState } from "../components/data";
import { csrfField, field, formError, type Errors } from "../components/form";
import { when, whenStacked } from "../components/when";
import { html, type SafeHtml } from "../html";

type RubricJson = ReturnType<typeof serializeRubric>;
export interface SignalRow { key: string; name: string; description: string; weight: string }

export interface RubricView {
  versions: RubricJson[];
  csrf: string;
  tz: string;
  values: { threshold: string; flat_amount: string; flat_currency: string; signals: SignalRow[] };
  errors?: Errors;
  error?: string | null;
  state: TableState;
}

const h = (n: number) => (n / 100).toFixed(2).replace(/\.00$/, "");

function rowError(errors: Errors, i: number, f: string): string[] {
  return errors?.[`signals.${i}.${f}`] ?? [];
}

function signalRows(v: RubricView): SafeHtml {
  const e = v.errors;
  const sum = v.values.signals.reduce((a, s) => a + (Number(s.weight) || 0), 0);
  const listErr = e?.signals ?? [];
  return html`<fieldset class="signals${listErr.length ? " has-error" : ""}"><legend>Signals <span class="muted small">weights in whole points, summing to 100</span></legend>
<div class="table-wrap"><table class="data signal-table"><thead><tr><th scope="col">Key</th><th scope="col">Name</th><th scope="col">Description</th><th scope="col" class="num">Weight</th></tr></thead><tbody>
${v.values.signals.map((s, i) => {
    const cell = (f: keyof SignalRow, label: string, extra: SafeHtml | "" = "") => {
      const errs = rowError(e, i, f);
      return html`<td${f === "weight" ? html` class="num"` : ""}><input name="signal_${f}" aria-label="${label} of signal ${i + 1}" value="${s[f]}"${extra ? html` ${extra}` : ""}${errs.length ? html` aria-invalid="true"` : ""}>${errs.length ? html`<p class="error">${errs.join("; ")}</p>` : ""}</td>`;
    };
    return html`<tr>${cell("key", "Key")}${cell("name", "Name")}${cell("description", "Description")}${cell("weight", "Weight", html`inputmode="numeric" class="weight"`)}</tr>`;
  })}
</tbody><tfoot><tr><td colspan="3">Total</td><td class="num"><strong id="weight-sum">${sum}</strong> / 100</td></tr></tfoot></table></div>
${listErr.length ? html`<p class="error" id="f-signals-err" role="alert">${listErr.join("; ")}</p>` : ""}
<p class="hint">Leave a row empty to drop it. Keys are lower-case slugs (e.g. <code>fit_quality</code>); a key keeps its meaning across versions.</p></fieldset>`;
}

export function rubricView(v: RubricView): SafeHtml {
  const current = v.versions[0];
  return html`<div class="page-head"><h1>Smart-link rubric</h1><p class="muted">Programs are routed by fit against this rubric, never by payout. It is public at <a href="/rubric">/rubric</a>. Saving publishes a new version; old versions stay.</p></div>
${current ? "" : html`<div class="flash flash-ok" role="status">No rubric yet: fill in the signals below and publish the first version. Then score programs on the <a href="/admin/scores">Scores</a> page.</div>`}
<section class="panel"><h2>${current ? `Edit (current: version ${current.version})` : "First version"}</h2>
${formError(v.error)}
<form method="post" action="/admin/rubric" class="stack" novalidate>${csrfField(v.csrf)}
<div class="grid-form">
${field({ name: "threshold", label: "Routable threshold (0-100)", value: v.values.threshold, errors: v.errors, hint: "Programs scoring at or above it are eligible." })}
${field({ name: "flat_amount", label: "Flat commission (optional)", value: v.values.flat_amount, errors: v.errors ? { flat_amount: v.errors["flat_commission.amount"] ?? v.errors.flat_commission ?? [] } : undefined, hint: "What every eligible program earns on smart-link conversions; empty: each program's own terms." })}
${field({ name: "flat_currency", label: "Currency", value: v.values.flat_currency, errors: v.errors ? { flat_currency: v.errors["flat_commission.currency"] ?? [] } : undefined })}
</div>
${signalRows(v)}
<div class="form-actions"><button type="submit" class="primary">Publish new version</button></div>
</form></section>
<section class="panel"><h2>Versions <span class="count">${v.versions.length}</span></h2>
${dataTable({
    caption: "Rubric versions", rows: v.versions, state: v.state, rowId: (r) => `rubric-v${r.version}`,
    empty: "Publish the first version with the form above.",
    columns: [
      { key: "version", label: "Version", numeric: true, cell: (r) => r.version },
      { key: "created", label: "Published", cell: (r) => when(r.created_at, v.tz) },
      { key: "threshold", label: "Threshold", numeric: true, cell: (r) => r.threshold },
      { key: "signals", label: "Signals (weight)", cell: (r) => r.signals.map((s) => `${s.name} ${s.weight}`).join(" · ") },
      { key: "flat", label: "Flat commission", cell: (r) => r.flat_commission ? `${r.flat_commission.amount} ${r.flat_commission.currency}` : html`<span class="muted">program's own</span>` },
    ],
  })}</section>`;
}

export interface ScoresView {
  board: Board;
  csrf: string;
  tz: string;
  selected: Board["programs"][number] | null;
  history: { id: string; rubric_version: number; note: string | null; created_at: string | null; scores: Record<string, string | null> }[];
  values?: Record<string, string>;
  errors?: Errors;
  error?: string | null;
  state: TableState;
}

function scoreForm(v: ScoresView, p: Board["programs"][number]): SafeHtml {
  const rubric = v.board.rubric!;
  const val = v.values ?? {};
  const errs = v.errors ?? {};
  return html`<section class="panel" id="score-form"><h2>Score ${p.name} <span class="muted small">${p.brandName}</span></h2>
<p class="muted">Each signal from 0 to 1 (two decimals). The total is computed from the weights: never typed.</p>
${formError(v.error ?? (errs.scores ? errs.scores.join("; ") : null))}
<form method="post" action="/admin/scores/${p.id}" class="stack" novalidate>${csrfField(v.csrf)}
<div class="grid-form">${rubric.signals.map((s) => {
    const current = p.scored?.scores[s.key];
    return field({ name: `score_${s.key}`, label: `${s.name} (weight ${s.weight})`, value: val[`score_${s.key}`] ?? (current === undefined ? "" : h(current)), errors: { [`score_${s.key}`]: errs[`scores.${s.key}`] ?? [] }, hint: s.description ?? undefined });
  })}</div>
<div class="field"><label for="f-note">Note (why these scores)</label><textarea id="f-note" name="note" rows="2" maxlength="1000">${val.note ?? ""}</textarea></div>
<div class="form-actions"><button type="submit" class="primary">Save scores</button></div></form>
<h3>History</h3>
${dataTable({
    caption: "Score history", rows: v.history, state: { path: `/admin/scores`, params: new URLSearchParams() }, rowId: (r) => `score-${r.id}`,
    empty: "Not scored yet.",
    columns: [
      { key: "at", label: "When", cell: (r) => when(r.created_at, v.tz) },
      { key: "v", label: "Rubric", numeric: true, cell: (r) => `v${r.rubric_version}` },
      { key: "scores", label: "Scores", cell: (r) => Object.entries(r.scores).map(([k, s]) => `${k} ${s}`).join(" · ") },
      { key: "note", label: "Note", cell: (r) => r.note ?? "" },
    ],
  })}</section>`;
}

export function scoresView(v: ScoresView): SafeHtml {
  const rubric = v.board.rubric;
  if (!rubric) return html`<div class="page-head"><h1>Program scores</h1></div><div class="empty"><p class="empty-title">No rubric yet</p><p>Publish a rubric on the <a href="/admin/rubric">Rubric</a> page first; then score each program against it here.</p></div>`;
  return html`<div class="page-head"><h1>Program scores</h1><p class="muted">Rubric version ${rubric.version}, threshold ${h(rubric.thresholdHundredths)}. Programs at or above it are routable by smart links.</p></div>
${v.selected ? scoreForm(v, v.selected) : ""}
<section class="panel"><h2>Programs <span class="count">${v.board.programs.length}</span></h2>
${dataTable({
    caption: "Programs and their scores", rows: v.board.programs, state: v.state, rowId: (p) => `program-${p.id}`,
    empty: "Create programs first (Programs page); then score them here.",
    columns: [
      { key: "name", label: "Program", sortable: true, cell: (p) => html`${p.name}<div class="muted small">${p.brandName}</div>` },
      { key: "status", label: "Status", cell: (p) => badge(p.status) },
      ...rubric.signals.map((s) => ({ key: `s_${s.key}`, label: s.name, numeric: true, cell: (p: Board["programs"][number]) => { const part = p.parts.find((x) => x.key === s.key); return part?.score == null ? "—" : h(part.score); } })),
      { key: "total", label: "Total", numeric: true, sortable: true, cell: (p) => p.total === null ? html`<span class="muted">unscored</span>` : html`<strong>${h(p.total)}</strong>` },
      { key: "eligible", label: "Routable", cell: (p) => p.total !== null && p.total >= rubric.thresholdHundredths ? html`<span class="badge badge-active">eligible</span>` : html`<span class="badge">below threshold</span>` },
      { key: "scored", label: "Scored", sortable: true, cell: (p) => p.scored ? whenStacked(p.scored.at, v.tz) : html`<span class="muted">never</span>` },
      { key: "go", label: "", cell: (p) => html`<a href="/admin/scores?program=${p.id}#score-form">Score</a>` },
    ],
  })}</section>`;
}
