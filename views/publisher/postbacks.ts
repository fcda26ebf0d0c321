import { MACROS, OUTBOUND_EVENTS } from "../../src/outbound";
import type { getPostbackFor } from "../../src/outbound/postbacks-for";
import { badge, dataTable, pager, type TableState } from "../components/data";
import { csrfField, field, formError, select, type Errors } from "../components/form";
import { postbackTable, type PostbackItem } from "../components/postbacks";
import { when } from "../components/when";
import { html, type SafeHtml } from "../html";

export interface PublisherPostbacksView {
  rows: PostbackItem[];
  state: TableState;
  csrf: string;
  tz: string;
  filters: SafeHtml;
  pager: SafeHtml;
  values?: Record<string, string>;
  events?: string[];
  errors?: Errors;
  error?: string | null;
}

const MACRO_HELP: Record<string, string> = {
  click_id: "the click id", sub1: "sub-id 1 from your link", sub2: "sub-id 2", sub3: "sub-id 3", sub4: "sub-id 4", sub5: "sub-id 5",
  order_ref: "the brand's order reference", payout: "your payout (e.g. 12.50)", payout_minor: "your payout in cents", currency: "payout currency",
  status: "pending, approved or reversed", program_id: "the program", publisher_id: "you", conversion_id: "the conversion",
  event: "conversion.created / approved / reversed", test: "true for test conversions", delivery_id: "unique per delivery: dedupe on it", timestamp: "unix seconds",
};

function createForm(v: PublisherPostbacksView): SafeHtml {
  const val = v.values ?? {};
  const chosen = new Set(v.events ?? OUTBOUND_EVENTS);
  const eventErr = v.errors?.events;
  return html`<section class="panel"><h2>Add a postback URL</h2>
<p class="muted">We call your URL when one of your conversions is created, approved or reversed. Failed calls are retried (30 s, 2 min, 10 min, 1 h, 6 h…); after 10 failures in a row the URL is paused until you resume it.</p>
${formError(v.error)}
<form method="post" action="/dashboard/publisher/postbacks" class="stack" novalidate>${csrfField(v.csrf)}
${field({ name: "url", label: "URL", value: val.url, errors: v.errors, hint: "e.g. https://tracker.example/postback?cid={click_id}&amount={payout}&status={status}" })}
<div class="grid-form">
${select({ name: "method", label: "Method", value: val.method ?? "GET", errors: v.errors, options: [{ value: "GET", label: "GET (values in the URL)" }, { value: "POST", label: "POST (JSON body)" }] })}
${field({ name: "signing_secret", label: "Signing secret (POST only, optional)", type: "password", value: "", errors: v.errors, hint: "16+ characters; we send X-Lastclick-Signature: sha256=<HMAC of the body>." })}
</div>
<fieldset class="field${eventErr ? " has-error" : ""}"><legend>Events</legend>
${OUTBOUND_EVENTS.map((e) => html`<label class="check"><input type="checkbox" name="events" value="${e}"${chosen.has(e) ? html` checked` : ""}> ${e}</label>`)}
${eventErr ? html`<p class="error">${eventErr.join("; ")}</p>` : ""}</fieldset>
<details class="note"><summary>Macros you can put in the URL</summary><dl class="macros">${MACROS.map((m) => html`<div><dt><code>{${m}}</code></dt><dd>${MACRO_HELP[m] ?? ""}</dd></div>`)}</dl></details>
<div class="form-actions"><button type="submit" class="primary">Add postback URL</button></div>
</form></section>`;
}

export function publisherPostbacksView(v: PublisherPostbacksView): SafeHtml {
  return html`<div class="page-head"><h1>Postbacks</h1><p class="muted">Notify your own tracker of your conversions, server to server.</p></div>
${createForm(v)}
<section class="panel"><h2>Your postback URLs <span class="count">${v.rows.length}</span></h2>
${v.filters}
${postbackTable({ rows: v.rows, state: v.state, csrf: v.csrf, tz: v.tz, base: "/dashboard/publisher/postbacks", detailBase: "/dashboard/publisher/postbacks", showPublisher: false, empty: "Add your tracker's URL above to be notified of every conversion." })}
${v.pager}</section>`;
}

type Detail = Awaited<ReturnType<typeof getPostbackFor>>;

/** One endpoint's delivery attempts, newest first. */
export function postbackDetailView(v: { detail: Detail; tz: string; back: string; params: URLSearchParams; path: string }): SafeHtml {
  const e = v.detail.endpoint;
  return html`<div class="page-head"><p class="crumbs"><a href="${v.back}">Postbacks</a></p><h1>Deliveries ${badge(e.status)}</h1><p><code class="url">${e.url}</code></p>
${e.paused_reason ? html`<p class="flash flash-error">Paused: ${e.paused_reason}. Resume it from the list once the URL works again.</p>` : ""}</div>
<section class="panel">${dataTable({
    caption: "Delivery attempts", rows: v.detail.attempts.data, state: { path: v.path, params: v.params }, rowId: (a) => `attempt-${a.id}`,
    empty: "They start with the next conversion: each is sent to this URL, and the answer shows here.",
    columns: [
      { key: "at", label: "When", cell: (a) => when(a.at, v.tz) },
      { key: "event", label: "Event", cell: (a) => a.event },
      { key: "result", label: "Result", cell: (a) => html`<span class="badge badge-${a.ok ? "active" : "rejected"}">${a.ok ? "ok" : "failed"}</span> ${a.status_code ?? ""} <span class="muted small">${a.error ?? ""}</span>` },
      { key: "ms", label: "Time", numeric: true, cell: (a) => `${a.duration_ms} ms` },
      { key: "url", label: "URL called", cell: (a) => html`<code class="url">${a.url}</code>` },
      { key: "delivery", label: "Delivery id", cell: (a) => html`<code class="small">${a.delivery_id}</code>` },
    ],
  })}${pager({ path: v.path, params: v.params, nextCursor: v.detail.attempts.next_cursor })}</section>`;
}
