import { dataTable, filterBar, pager, type TableState } from "../components/data";
import { field, select, type Errors } from "../components/form";
import { when } from "../components/when";
import { html, type SafeHtml } from "../html";

export interface AuditRow {
  id: string; at: string | null; actor_type: string; actor_id: string | null; action: string; entity_type: string; entity_id: string;
  from_status: string | null; to_status: string | null; reason: string | null; data: unknown;
}

const entityLink = (r: AuditRow) => (r.entity_type === "conversion"
  ? html`<a href="/admin/conversions/${r.entity_id}"><code>${r.entity_id}</code></a>` : html`<code>${r.entity_id}</code>`);

/** The append-only audit trail: who changed what, when and why. */
export function auditView(v: { rows: AuditRow[]; people?: Map<string, string>; nextCursor: string | null; state: TableState; tz: string; actorTypes: readonly string[]; filterErrors?: Errors }): SafeHtml {
  const p = v.state.params, val = (k: string) => p.get(k) ?? "";
  const filters = filterBar({ path: "/admin/audit", csvHref: `/admin/audit.csv${p.toString() ? `?${p}` : ""}`, controls: html`
${field({ name: "entity_type", label: "Entity", value: val("entity_type"), hint: "conversion, program, publisher, …" })}
${field({ name: "entity_id", label: "Entity id", value: val("entity_id") })}
${select({ name: "actor_type", label: "Actor", value: val("actor_type"), options: [{ value: "", label: "Anyone" }, ...v.actorTypes.map((a) => ({ value: a, label: a }))] })}
${field({ name: "actor_id", label: "Actor id", value: val("actor_id") })}
${field({ name: "action", label: "Action", value: val("action"), hint: "e.g. conversion.reversed" })}
${field({ name: "from", label: "From", type: "date", value: val("from"), errors: v.filterErrors })}
${field({ name: "to", label: "To", type: "date", value: val("to"), errors: v.filterErrors })}` });
  const table = dataTable({
    caption: "Audit log", rows: v.rows, state: v.state, rowId: (r) => `audit-${r.id}`,
    empty: "Every money-state and configuration change is recorded here, with who made it; the first appears with the first change.",
    columns: [
      { key: "at", label: "When", sortable: true, cell: (r) => when(r.at ? Date.parse(r.at) : null, v.tz, true) },
      { key: "actor", label: "Who", cell: (r) => {
        const person = r.actor_id ? v.people?.get(r.actor_id) : undefined;
        return html`${r.actor_type}${person ? html`<br><span class="small">${person}</span>` : r.actor_id ? html`<br><code class="small">${r.actor_id}</code>` : ""}`;
      } },
      { key: "action", label: "Action", cell: (r) => html`<code>${r.action}</code>` },
      { key: "entity", label: "Entity", cell: (r) => html`${r.entity_type}<br>${entityLink(r)}` },
      { key: "change", label: "Change", cell: (r) => (r.from_status || r.to_status ? `${r.from_status ?? "—"} → ${r.to_status ?? "—"}` : "") },
      { key: "reason", label: "Reason", cell: (r) => r.reason ?? "" },
    ],
  });
  return html`<div class="page-head"><h1>Audit log</h1><p class="muted">Append-only: who changed money states and settings, when and why. Times in ${v.tz}.</p></div>
<section class="panel">${filters}</section>
<section class="panel"><div id="audit-log" class="conv-table">${table}
${pager({ path: v.state.path, params: v.state.params, nextCursor: v.nextCursor })}</div></section>`;
}
