import type { listPostbacksFor } from "../../src/outbound/postbacks-for";
import { badge, dataTable, type TableState } from "./data";
import { csrfField } from "./form";
import { when } from "./when";
import { html, type SafeHtml } from "../html";

export type PostbackItem = Awaited<ReturnType<typeof listPostbacksFor>>[number];

/** Pause / resume, posting to `${base}/{id}/status`. */
function statusButton(e: PostbackItem, base: string, csrf: string): SafeHtml {
  const to = e.status === "paused" ? "active" : "paused";
  return html`<form method="post" action="${base}/${e.id}/status" class="inline">${csrfField(csrf)}<input type="hidden" name="status" value="${to}"><button type="submit" class="small ${to === "active" ? "primary" : "secondary"}">${to === "active" ? "Resume" : "Pause"}</button></form>`;
}

/** Publisher postback endpoints: status with the pause reason, failures, deliveries, last attempt. */
export function postbackTable(o: { rows: PostbackItem[]; state: TableState; csrf: string; tz: string; base: string; detailBase: string | null; showPublisher: boolean; empty: string }): SafeHtml {
  return dataTable({
    caption: "Postback URLs", rows: o.rows, state: o.state, rowId: (e) => `postback-${e.id}`, empty: o.empty,
    columns: [
      ...(o.showPublisher ? [{ key: "publisher", label: "Publisher", sortable: true, cell: (e: PostbackItem) => e.publisher_name }] : []),
      { key: "url", label: "URL", cell: (e) => html`<code class="url">${e.url}</code><div class="muted small">${e.method} · ${e.events.map((x) => x.replace("conversion.", "")).join(", ")}${e.signed ? " · signed" : ""}</div>` },
      { key: "status", label: "Status", sortable: true, cell: (e) => html`${badge(e.status)}${e.paused_reason ? html`<div class="small paused-reason">${e.paused_reason}</div>` : ""}` },
      { key: "failures", label: "Failures in a row", numeric: true, sortable: true, cell: (e) => e.consecutive_failures },
      { key: "deliveries", label: "Delivered / pending / failed", numeric: true, cell: (e) => e.deliveries ? `${e.deliveries.sent} / ${e.deliveries.pending} / ${e.deliveries.dead}` : "" },
      { key: "last", label: "Last attempt", cell: (e) => {
        const a = e.recent_attempts?.[0];
        if (!a) return html`<span class="muted">none yet</span>`;
        return html`${when(a.at, o.tz)} <span class="badge badge-${a.ok ? "active" : "rejected"}">${a.ok ? "ok" : "failed"}</span>${a.ok ? "" : html`<div class="muted small">${a.status_code ?? ""} ${a.error ?? ""}</div>`}`;
      } },
      { key: "actions", label: "Actions", cell: (e) => html`<div class="row-actions">${statusButton(e, o.base, o.csrf)}${o.detailBase ? html`<a href="${o.detailBase}/${e.id}">Deliveries</a>` : ""}</div>` },
    ],
  });
}
