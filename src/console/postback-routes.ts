import { z } from "zod";
import { createPostbackBody, listAttemptsQuery } from "../outbound";
import { createPostbackFor, getPostbackFor, listPostbacksFor, setPostbackStatusFor } from "../outbound/postbacks-for";
import { AppError, type FieldErrors } from "../shared/errors";
import { filterBar, pager } from "../../views/components/data";
import { dateStatusControls } from "../../views/components/list-filters";
import { postbackTable, type PostbackItem } from "../../views/components/postbacks";
import { formatWhen } from "../../views/components/when";
import { postbackDetailView, publisherPostbacksView, type PublisherPostbacksView } from "../../views/publisher/postbacks";
import { html } from "../../views/html";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { csvHref, csvResponse, listPage, wantsCsv, type ListSpec } from "./list-table";
import { parseForm, topFields } from "./forms";
import { zodFields } from "../api/body";
import { render } from "./pages";

const POSTBACK_LIST: ListSpec<PostbackItem> = {
  sorts: { publisher: (e) => e.publisher_name.toLowerCase(), status: (e) => e.status, failures: (e) => e.consecutive_failures, created: (e) => Date.parse(e.created_at!) },
  defaultSort: "created", defaultDir: "desc", date: (e) => Date.parse(e.created_at!), status: (e) => e.status,
};
const STATUSES = [{ value: "active", label: "Active" }, { value: "paused", label: "Paused" }];

async function listed(c: ConsoleRequest) {
  const list = listPage(c, await listPostbacksFor(c.ctx, c.auth!.actor), POSTBACK_LIST);
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const csv = wantsCsv(c) ? csvResponse("postbacks.csv", ["id", "publisher", "url", "method", "events", "status", "paused_reason", "consecutive_failures", "sent", "pending", "dead", `created (${tz})`],
    list.all.map((e) => [e.id, e.publisher_name, e.url, e.method, e.events.join(" "), e.status, e.paused_reason, e.consecutive_failures, e.deliveries?.sent, e.deliveries?.pending, e.deliveries?.dead, formatWhen(e.created_at!, tz)])) : null;
  return { list, tz, csv };
}

async function publisherPage(c: ConsoleRequest, extra: Partial<PublisherPostbacksView> = {}, status = 200) {
  const { list, tz, csv } = await listed(c);
  if (csv) return csv;
  return render(c, "Postbacks", publisherPostbacksView({
    rows: list.rows, state: list.state, csrf: c.auth!.session.csrfToken, tz,
    filters: filterBar({ path: c.url.pathname, csvHref: csvHref(c), controls: dateStatusControls(c.url.searchParams, STATUSES) }),
    pager: pager({ path: c.url.pathname, params: c.url.searchParams, nextCursor: list.nextCursor }), ...extra,
  }), status);
}

async function adminPage(c: ConsoleRequest) {
  const { list, tz, csv } = await listed(c);
  if (csv) return csv;
  const paused = list.all.filter((e) => e.status === "paused").length;
  return render(c, "Publisher postbacks", html`<div class="page-head"><h1>Publisher postbacks</h1><p class="muted">Every publisher's postback URLs. A URL that fails 10 times in a row is paused with the reason; resume it once the publisher has fixed it (held deliveries go out at once).</p></div>
<section class="panel"><h2>Postback URLs <span class="count">${list.all.length}</span>${paused ? html` <span class="badge badge-paused">${paused} paused</span>` : ""}</h2>
${filterBar({ path: "/admin/postbacks", csvHref: csvHref(c), controls: dateStatusControls(c.url.searchParams, STATUSES) })}
${postbackTable({ rows: list.rows, state: list.state, csrf: c.auth!.session.csrfToken, tz, base: "/admin/postbacks", detailBase: "/admin/postbacks", showPublisher: true, empty: "Publishers add their postback URLs on their Postbacks page; none has yet." })}
${pager({ path: "/admin/postbacks", params: c.url.searchParams, nextCursor: list.nextCursor })}</section>`);
}

async function detail(c: ConsoleRequest, back: string) {
  const q = listAttemptsQuery.parse({ cursor: c.url.searchParams.get("cursor")?.slice(0, 64) || undefined });
  const d = await getPostbackFor(c.ctx, c.auth!.actor, c.params.id!, q);
  return render(c, "Postback deliveries", postbackDetailView({ detail: d, tz: c.ctx.config.NETWORK_TIMEZONE, back, params: c.url.searchParams, path: c.url.pathname }));
}

async function setStatus(c: ConsoleRequest, back: string) {
  const f = parseForm(z.object({ status: z.enum(["active", "paused"]) }), c.form);
  if (!f.ok) return redirect(c, back, [flashCookie("error", "Choose pause or resume.")]);
  const e = await setPostbackStatusFor(c.ctx, c.auth!.actor, c.params.id!, f.data.status);
  return redirect(c, back, [flashCookie("ok", e.status === "active" ? "Resumed: held deliveries are sent now." : "Paused: nothing is sent until you resume it.")]);
}

/** Publisher postbacks: the network sees and resumes every publisher's; a publisher manages its own. */
export const postbackRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/postbacks", access: ["admin"], handler: adminPage },
  { method: "GET", path: "/admin/postbacks/{id}", access: ["admin"], handler: (c) => detail(c, "/admin/postbacks") },
  { method: "POST", path: "/admin/postbacks/{id}/status", access: ["admin"], handler: (c) => setStatus(c, "/admin/postbacks") },
  { method: "GET", path: "/dashboard/publisher/postbacks", access: ["publisher"], handler: (c) => publisherPage(c) },
  { method: "GET", path: "/dashboard/publisher/postbacks/{id}", access: ["publisher"], handler: (c) => detail(c, "/dashboard/publisher/postbacks") },
  { method: "POST", path: "/dashboard/publisher/postbacks/{id}/status", access: ["publisher"], handler: (c) => setStatus(c, "/dashboard/publisher/postbacks") },
  { method: "POST", path: "/dashboard/publisher/postbacks", access: ["publisher"], handler: async (c) => {
    const form = c.form ?? new URLSearchParams();
    const values = Object.fromEntries(form);
    const events = form.getAll("events");
    const body = { url: form.get("url") ?? "", method: form.get("method") || "GET", events, ...(form.get("signing_secret") ? { signing_secret: form.get("signing_secret") } : {}) };
    const r = createPostbackBody.safeParse(body);
    const fail = (errors: FieldErrors, error: string | null) => publisherPage(c, { values, events, errors, error }, 422);
    if (!r.success) return fail(topFields(zodFields(r.error)), null);
    try {
      await createPostbackFor(c.ctx, c.auth!.actor, r.data);
    } catch (e) {
      if (!(e instanceof AppError) || e.status !== 422) throw e;
      return fail(e.fields ?? {}, e.fields ? null : e.message);
    }
    return redirect(c, "/dashboard/publisher/postbacks", [flashCookie("ok", "Postback URL added: it is called from your next conversion on.")]);
  } },
];
