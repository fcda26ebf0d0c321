import { requireAdmin } from "../auth/party-scope";
import { getInboxRow, listInbox, listInboxQuery, serializeInbox } from "../integrations/inbox";
import { listIntegrationsFor } from "../integrations/list-integrations-for";
import { replayInbox } from "../integrations/replay";
import { AppError } from "../shared/errors";
import { DAY_MS } from "../shared/clock";
import { inboxDetailView, inboxView } from "../../views/admin/inbox";
import { badge } from "../../views/components/data";
import { dayStart, formatWhen } from "../../views/components/when";
import { html } from "../../views/html";
import { flashCookie, htmlResponse, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { csvHref, csvResponse, wantsCsv } from "./list-table";
import { render } from "./pages";

const CSV_MAX_ROWS = 10_000;
const VERDICTS = new Set(["accepted", "duplicate", "updated", "rejected"]);

type InboxQuery = ReturnType<typeof listInboxQuery.parse>;

/** The inbox query from the page's filters (days in the network timezone). */
function queryOf(c: ConsoleRequest, limit: number): InboxQuery {
  const p = c.url.searchParams;
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const from = dayStart(p.get("from"), tz);
  const to = dayStart(p.get("to"), tz);
  const verdict = p.get("verdict") ?? "";
  return {
    limit, provider: p.get("provider")?.slice(0, 40) || undefined, integration_id: p.get("integration_id")?.slice(0, 64) || undefined,
    verdict: VERDICTS.has(verdict) ? verdict as InboxQuery["verdict"] : undefined, cursor: p.get("cursor")?.slice(0, 64) || undefined,
    since: from ?? undefined, until: to === null ? undefined : to + DAY_MS,
  };
}

async function csv(c: ConsoleRequest) {
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const rows: ReturnType<typeof serializeInbox>[] = [];
  let q: InboxQuery = { ...queryOf(c, 200), cursor: undefined };
  for (;;) {
    const page = await listInbox(c.ctx, q);
    rows.push(...page.data);
    if (!page.next_cursor || rows.length >= CSV_MAX_ROWS) break;
    q = { ...q, cursor: page.next_cursor };
  }
  return csvResponse("inbox.csv", ["id", `received (${tz})`, "provider", "integration_id", "method", "verdict", "status_code", "reason", "body_bytes", "repeat_count", "conversion_id", "replay_of"],
    rows.slice(0, CSV_MAX_ROWS).map((r) => [r.id, formatWhen(r.received_at!, tz), r.provider, r.integration_id, r.method, r.verdict, r.status_code, r.reason, r.body_bytes, r.repeat_count, r.conversion_id, r.replay_of]));
}

async function integrationLabels(c: ConsoleRequest) {
  return (await listIntegrationsFor(c.ctx, c.auth!.actor)).map((i) => ({ id: i.id, label: `${i.programName} · ${i.provider} (${i.mode})` }));
}

/** Admin: the postback inbox (filters, paging, CSV), one request's detail, replay. */
export const inboxRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/inbox", access: ["admin"], handler: async (c) => {
    requireAdmin(c.auth!.actor);
    if (wantsCsv(c)) return csv(c);
    const [page, integrations] = await Promise.all([listInbox(c.ctx, queryOf(c, 50)), integrationLabels(c)]);
    return render(c, "Inbox", inboxView({
      rows: page.data, nextCursor: page.next_cursor, csvHref: csvHref(c), tz: c.ctx.config.NETWORK_TIMEZONE, integrations,
      csrf: c.auth!.session.csrfToken, state: { path: "/admin/inbox", params: c.url.searchParams },
    }));
  } },
  { method: "GET", path: "/admin/inbox/{id}", access: ["admin"], handler: async (c) => {
    requireAdmin(c.auth!.actor);
    const row = serializeInbox(await getInboxRow(c.ctx, c.params.id!));
    const label = row.integration_id ? (await integrationLabels(c)).find((i) => i.id === row.integration_id)?.label ?? row.integration_id : null;
    return render(c, "Inbox request", inboxDetailView({ row, tz: c.ctx.config.NETWORK_TIMEZONE, csrf: c.auth!.session.csrfToken, integrationLabel: label }));
  } },
  { method: "POST", path: "/admin/inbox/{id}/replay", access: ["admin"], handler: async (c) => {
    try {
      const { replay, response } = await replayInbox(c.ctx, c.auth!.actor, c.params.id!);
      const text = `Replayed: ${replay.verdict} (${response.status}). ${replay.reason}`;
      if (!c.fragment) return redirect(c, `/admin/inbox/${replay.id}`, [flashCookie("ok", text.slice(0, 280))]);
      return htmlResponse(html`<div class="flash flash-ok replay-verdict" role="status">${badge(replay.verdict)} <strong>${response.status}</strong> ${replay.reason} <a href="/admin/inbox/${replay.id}">See the replay</a></div>`.value);
    } catch (e) {
      if (!(e instanceof AppError) || e.status === 404 || e.status >= 500) throw e;
      if (!c.fragment) return redirect(c, `/admin/inbox/${c.params.id}`, [flashCookie("error", e.message.slice(0, 280))]);
      return htmlResponse(html`<div class="flash flash-error" role="alert">${e.message}</div>`.value, e.status);
    }
  } },
];
