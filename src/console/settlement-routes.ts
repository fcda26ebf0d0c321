import { z } from "zod";
import { closePeriod, listSettlements } from "../settlement/close-period";
import { AppError } from "../shared/errors";
import { periodOf, PERIOD_RE, previousPeriod } from "../shared/period";
import { settlementView, type CloseRow, type SettlementView } from "../../views/admin/settlement";
import type { ConsoleRequest, ConsoleRoute } from "./http";
import { parseForm } from "./forms";
import { csvHref, csvResponse, listing, wantsCsv } from "./listing";
import { render } from "./pages";

const SORTS: Record<string, (r: CloseRow) => string | number> = {
  period: (r) => r.period, closed_at: (r) => r.closed_at ?? "", conversions: (r) => r.conversions_settled ?? 0,
};

async function closes(c: ConsoleRequest): Promise<CloseRow[]> {
  const from = c.url.searchParams.get("from") ?? "", to = c.url.searchParams.get("to") ?? "";
  return (await listSettlements(c.ctx) as CloseRow[]).filter((r) => (!PERIOD_RE.test(from) || r.period >= from) && (!PERIOD_RE.test(to) || r.period <= to));
}

async function page(c: ConsoleRequest, extra: Partial<SettlementView> = {}, status = 200) {
  const all = await closes(c);
  const l = listing(c, all, SORTS, { sort: "period", dir: "desc" });
  const zone = c.ctx.config.NETWORK_TIMEZONE;
  const wanted = c.url.searchParams.get("period");
  return render(c, "Settlement", settlementView({
    closes: l.rows, total: l.total, nextCursor: l.nextCursor, csrf: c.auth!.session.csrfToken, zone, csvHref: csvHref(c),
    suggested: previousPeriod(periodOf(c.ctx.clock.now(), zone), zone).key,
    open: wanted ? all.find((r) => r.period === wanted) ?? null : null,
    state: { path: "/admin/settlement", params: c.url.searchParams, sort: l.sort, dir: l.dir }, ...extra,
  }), status);
}

const closeForm = z.object({ period: z.string().trim().regex(PERIOD_RE, "must be a month like 2026-11") });

/** Admin: the monthly closes with their summaries and audit hashes; close a period (the same verb as the scheduler, CLI and API). */
export const settlementRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/settlement", access: ["admin"], handler: async (c) => {
    if (!wantsCsv(c)) return page(c);
    const rows = await closes(c);
    return csvResponse("settlements.csv", ["period", "status", "closed_at", "conversions_settled", "adjustments_settled", "currency", "invoices", "invoiced", "publisher_payouts", "network_fee", "adjustments", "scheduled", "carried", "on_hold", "audit_hash"],
      rows.flatMap((r) => (r.currencies?.length ? r.currencies : [null]).map((x) => [r.period, r.status, r.closed_at ?? "", r.conversions_settled ?? "", r.adjustments_settled ?? "",
        x?.currency ?? "", x?.invoices ?? "", x ? x.invoiced_minor : "", x ? x.publisher_payouts_minor : "", x ? x.network_fee_minor : "", x ? x.adjustments_minor : "",
        x ? x.payouts.scheduled.amount_minor : "", x ? x.payouts.carried.amount_minor : "", x ? x.payouts.on_hold.amount_minor : "", r.audit_hash ?? ""])));
  } },
  { method: "POST", path: "/admin/settlement", access: ["admin"], handler: async (c) => {
    const values = { period: c.form?.get("period") ?? "" };
    const f = parseForm(closeForm, c.form);
    if (!f.ok) return page(c, { values, errors: f.errors }, 422);
    try {
      const result = await closePeriod(c.ctx, c.auth!.actor, f.data.period);
      return page(c, { result, values }, result.created ? 201 : 200);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      return page(c, { values, errors: e.fields ?? { period: [e.message] } }, e.status);
    }
  } },
];
