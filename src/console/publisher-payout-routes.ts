import { PAYOUT_STATUSES } from "../db/schema";
import { statementPdf } from "../settlement/pdf/statement-pdf";
import { listPayouts, type PayoutFilters } from "../settlement/payouts";
import { publisherBalance } from "../settlement/publisher-balance";
import { payoutScope } from "../settlement/scope";
import { PERIOD_RE } from "../shared/period";
import { zoned } from "../../views/components/when";
import { publisherPayoutsView } from "../../views/publisher/payouts";
import type { ConsoleRequest, ConsoleRoute } from "./http";
import { csvHref, csvResponse, fileResponse, filters, listing, wantsCsv } from "./listing";
import { render } from "./pages";
import { payoutDetail } from "./payout-routes";

type Row = Awaited<ReturnType<typeof listPayouts>>[number];
const SORTS: Record<string, (r: Row) => string | number> = { period: (r) => r.period, amount: (r) => r.amount_minor, status: (r) => r.status, due_at: (r) => r.due_at ?? "" };

function own(c: ConsoleRequest, q: PayoutFilters = {}) {
  return listPayouts(c.ctx, q, payoutScope(c.auth!.actor));
}

/** Publisher: its balance, threshold progress, payout method status, payouts and statements (all scoped in the domain). */
export const publisherPayoutRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/dashboard/publisher/payouts", access: ["publisher"], handler: async (c) => {
    const f = filters(c, ["period", "status"]);
    const q: PayoutFilters = {
      period: f.period && PERIOD_RE.test(f.period) ? f.period : undefined,
      status: (PAYOUT_STATUSES as readonly string[]).includes(f.status ?? "") ? f.status as PayoutFilters["status"] : undefined,
    };
    const zone = c.ctx.config.NETWORK_TIMEZONE;
    const rows = await own(c, q);
    if (wantsCsv(c)) {
      return csvResponse("payouts.csv", ["period", "currency", "amount", "sales", "status", "method", "due", "reference", "paid_at"],
        rows.map((r) => [r.period, r.currency, r.amount, r.conversions, r.status, r.method, zoned(r.due_at, zone), r.reference, zoned(r.paid_at, zone, true)]));
    }
    const [balance, every] = await Promise.all([publisherBalance(c.ctx, c.auth!.actor), own(c)]);
    const l = listing(c, rows, SORTS, { sort: "period", dir: "desc" });
    return render(c, "Payouts", publisherPayoutsView({
      balance, payouts: l.rows, total: l.total, nextCursor: l.nextCursor, zone, csvHref: csvHref(c),
      periods: [...new Set(every.map((r) => r.period))].sort().reverse(),
      state: { path: "/dashboard/publisher/payouts", params: c.url.searchParams, sort: l.sort, dir: l.dir },
    }));
  } },
  { method: "GET", path: "/dashboard/publisher/payouts/{id}", access: ["publisher"], handler: (c) => payoutDetail(c) },
  { method: "GET", path: "/dashboard/publisher/payouts/{id}/statement.pdf", access: ["publisher"], handler: async (c) => {
    const f = await statementPdf(c.ctx, c.params.id!, payoutScope(c.auth!.actor));
    return fileResponse(f.bytes, "application/pdf", f.filename);
  } },
];
