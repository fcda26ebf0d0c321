import type { ApprovalDetail } from "../../src/network/list-approvals-detailed";
import { badge, dataTable, pager, type TableState } from "../components/data";
import { copyField } from "../components/copy";
import { csrfField } from "../components/form";
import { when } from "../components/when";
import { html, type SafeHtml } from "../html";

function statusForm(a: ApprovalDetail, csrf: string, to: string, label: string, cls = "secondary"): SafeHtml {
  return html`<form method="post" action="/admin/approvals/${a.id}/status" class="inline">${csrfField(csrf)}<input type="hidden" name="status" value="${to}"><button type="submit" class="small ${cls}" aria-label="${label}: ${a.publisher_name} for ${a.program_name}">${label}</button></form>`;
}

interface ListView { rows: ApprovalDetail[]; total: number; state: TableState; nextCursor: string | null; filters: SafeHtml; csrf: string; tz: string }

export function applicationsView(v: ListView): SafeHtml {
  return html`<div class="page-head"><h1>Applications</h1><p class="muted">Publishers who applied to a program. Approving one gives it its tracking link at once.</p></div>
<section class="panel">${v.filters}<p class="muted small">${v.total} application${v.total === 1 ? "" : "s"}</p>
${dataTable({
    caption: "Applications", rows: v.rows, state: v.state, rowId: (a) => `application-${a.id}`,
    empty: "When publishers apply from their marketplace, their applications wait here for you. Links you create yourself are under Tracking links.",
    columns: [
      { key: "created", label: "Applied", sortable: true, cell: (a) => when(a.created_at, v.tz) },
      { key: "publisher", label: "Publisher", sortable: true, cell: (a) => html`<a href="/admin/publishers/${a.publisher_id}">${a.publisher_name}</a>` },
      { key: "program", label: "Program", sortable: true, cell: (a) => html`<a href="/admin/programs/${a.program_id}">${a.program_name}</a> <span class="muted small">${a.brand_name}</span>` },
      { key: "status", label: "Status", sortable: true, cell: (a) => badge(a.status) },
      { key: "actions", label: "Decision", cell: (a) => a.status === "pending" || a.status === "rejected"
        ? html`<div class="row-actions">${statusForm(a, v.csrf, "approved", "Approve", "primary")}${a.status === "pending" ? statusForm(a, v.csrf, "rejected", "Reject", "danger") : ""}</div>`
        : html`<span class="muted">decided</span>` },
    ],
  })}
${pager({ path: v.state.path, params: v.state.params, nextCursor: v.nextCursor })}</section>`;
}

export function linksView(v: ListView & { programs: { id: string; name: string }[]; publishers: { id: string; name: string }[] }): SafeHtml {
  return html`<div class="page-head"><h1>Tracking links</h1><p class="muted">One link per approved publisher and program. Suspending a link stops it redirecting at once.</p></div>
<section class="panel"><h2>Create a link</h2>
<form method="post" action="/admin/links" class="grid-form">${csrfField(v.csrf)}
<div class="field"><label for="f-program_id">Program</label><select id="f-program_id" name="program_id" required><option value="">Choose a program</option>${v.programs.map((p) => html`<option value="${p.id}">${p.name}</option>`)}</select></div>
<div class="field"><label for="f-publisher_id">Publisher</label><select id="f-publisher_id" name="publisher_id" required><option value="">Choose a publisher</option>${v.publishers.map((p) => html`<option value="${p.id}">${p.name}</option>`)}</select></div>
<div class="form-actions"><button type="submit" class="primary">Approve and create link</button></div></form></section>
<section class="panel">${v.filters}<p class="muted small">${v.total} link${v.total === 1 ? "" : "s"}</p>
${dataTable({
    caption: "Tracking links", rows: v.rows, state: v.state, rowId: (a) => `link-${a.id}`,
    empty: "Approve a publisher for a program (above, or from Applications) to create its tracking link.",
    columns: [
      { key: "publisher", label: "Publisher", sortable: true, cell: (a) => a.publisher_name },
      { key: "program", label: "Program", sortable: true, cell: (a) => html`${a.program_name}${a.program_status === "paused" ? html` <span class="badge badge-paused">program paused</span>` : ""}` },
      { key: "status", label: "Status", sortable: true, cell: (a) => badge(a.status) },
      { key: "url", label: "Link", cell: (a) => a.status === "approved" ? copyField(`url-${a.id}`, a.tracking_url, `Tracking link of ${a.publisher_name} for ${a.program_name}`) : html`<code class="muted">/go/${a.slug}</code>` },
      { key: "updated", label: "Changed", sortable: true, cell: (a) => when(a.updated_at, v.tz) },
      { key: "actions", label: "Actions", cell: (a) => a.status === "approved" ? statusForm(a, v.csrf, "suspended", "Suspend", "danger") : a.status === "suspended" ? statusForm(a, v.csrf, "approved", "Reactivate") : html`<span class="muted">—</span>` },
    ],
  })}
${pager({ path: v.state.path, params: v.state.params, nextCursor: v.nextCursor })}</section>`;
}
