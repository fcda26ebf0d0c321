import { listUsers } from "../auth/users/list-users";
import { AUDIT_ACTOR_TYPES, listAudit, listAuditQuery } from "../audit/list-audit";
import type { FieldErrors } from "../shared/errors";
import { csvResponse } from "../shared/csv";
import { formatInZone } from "../shared/zoned-time";
import { auditView } from "../../views/admin/audit";
import { dateRange } from "./conversion-filters";
import type { ConsoleRequest, ConsoleRoute } from "./http";
import { render } from "./pages";

/** The page's query -> the audit verb's filters (bad values are dropped, bad dates are field errors). */
function auditQuery(c: ConsoleRequest, limit: number) {
  const p = c.url.searchParams, errors: FieldErrors = {};
  const get = (k: string) => p.get(k)?.trim() || undefined;
  const range = dateRange(p, c.ctx.config.NETWORK_TIMEZONE, errors);
  const parsed = listAuditQuery.safeParse({
    entity_type: get("entity_type"), entity_id: get("entity_id"), actor_type: get("actor_type"), actor_id: get("actor_id"),
    action: get("action"), cursor: get("cursor"), dir: get("sort") === "at" && get("dir") === "asc" ? "asc" : "desc", limit,
  });
  const q = parsed.success ? parsed.data : listAuditQuery.parse({ limit });
  return { q: { ...q, since: range.since, until: range.until }, errors };
}

async function page(c: ConsoleRequest) {
  const { q, errors } = auditQuery(c, 50);
  const [r, users] = await Promise.all([listAudit(c.ctx, q), listUsers(c.ctx)]);
  return render(c, "Audit log", auditView({
    rows: r.data, people: new Map(users.map((u) => [u.id, u.email])), nextCursor: r.next_cursor, tz: c.ctx.config.NETWORK_TIMEZONE, actorTypes: AUDIT_ACTOR_TYPES, filterErrors: errors,
    state: { path: "/admin/audit", params: c.url.searchParams, sort: "at", dir: q.dir },
  }), Object.keys(errors).length ? 422 : 200);
}

async function csv(c: ConsoleRequest) {
  const { q } = auditQuery(c, 500);
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const rows = [];
  let cursor: string | undefined = q.cursor;
  for (let i = 0; i < 200; i++) { // at most 100,000 rows
    const r = await listAudit(c.ctx, { ...q, cursor });
    for (const a of r.data) {
      rows.push([a.at ? formatInZone(Date.parse(a.at), tz, true) : "", a.id, a.actor_type, a.actor_id, a.action, a.entity_type, a.entity_id,
        a.from_status, a.to_status, a.reason, a.data === null ? null : JSON.stringify(a.data)]);
    }
    if (!r.next_cursor) break;
    cursor = r.next_cursor;
  }
  return csvResponse("audit.csv", ["at", "id", "actor_type", "actor_id", "action", "entity_type", "entity_id", "from_status", "to_status", "reason", "data"], rows);
}

/** Admin: the audit trail with filters, paging and CSV. */
export const auditRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/audit", access: ["admin"], handler: page },
  { method: "GET", path: "/admin/audit.csv", access: ["admin"], handler: csv },
];
