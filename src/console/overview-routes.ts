import { listConversions, listConversionsQuery } from "../conversions/list-conversions";
import { serializeConversionFor } from "../conversions/serialize";
import { publisherBalances } from "../reports/balances";
import { topGroups } from "../reports/grouped-stats";
import { kpis } from "../reports/kpis";
import { periodOf } from "../reports/periods";
import { dailySeries } from "../reports/time-series";
import { MoneyParseError, parseMoneyToMinor } from "../shared/money";
import { overviewView, type OverviewModel, type RecentConversion, type TopList } from "../../views/console/overview";
import type { ConsoleRequest, ConsoleRoute } from "./http";
import { render } from "./pages";

/** The payout threshold in minor units of a currency (the setting is one decimal amount applied per currency). */
function thresholdMinor(threshold: string) {
  return (currency: string) => {
    try { return parseMoneyToMinor(threshold, currency); } catch (e) { if (e instanceof MoneyParseError) return 0; throw e; }
  };
}

/** The latest conversions the signed-in actor may see (scope decided in the domain). */
async function recent(c: ConsoleRequest): Promise<RecentConversion[]> {
  const page = await listConversions({ ctx: c.ctx, actor: c.auth!.actor, query: listConversionsQuery.parse({ limit: 10 }) });
  return page.rows.map((row) => {
    const s = serializeConversionFor(c.auth!.actor, row);
    const payout = "commission" in s ? String(s.commission) : s.publisher_payout;
    return { id: s.id, created_at: s.created_at, brand_order_ref: s.brand_order_ref, order_value: s.order_value, order_currency: s.order_currency, status: s.status, payout, currency: s.currency, is_test: row.isTest };
  });
}

const RECENT_EMPTY: Record<OverviewModel["role"], string> = {
  admin: "Conversions appear here as brands report sales (POST /api/conv) or their platforms send webhooks.",
  brand: "Your conversions appear here once your shop reports sales. Ask the network for an API key to send them.",
  publisher: "Your credited sales appear here. Share your tracking links to start earning.",
};

/** Everything an overview shows, read through the scoped report verbs as the signed-in actor. */
async function overview(c: ConsoleRequest, role: OverviewModel["role"], intro: string, tops: Omit<TopList, "rows">[]): Promise<Response> {
  const { ctx } = c;
  const actor = c.auth!.actor;
  const month = periodOf("this_month", ctx.clock.now(), ctx.config.NETWORK_TIMEZONE).current;
  const [periods, series, topRows, balances, rows] = await Promise.all([
    kpis({ ctx, actor }), dailySeries({ ctx, actor, days: 30 }),
    Promise.all(tops.map((t) => topGroups({ ctx, actor, range: month, by: t.id === "top-publishers" ? "publisher" : "program" }))),
    role === "publisher" ? publisherBalances({ ctx, actor }) : Promise.resolve(null), recent(c),
  ]);
  return render(c, "Overview", overviewView({
    role, intro, timezone: ctx.config.NETWORK_TIMEZONE, recent: rows, recentEmpty: RECENT_EMPTY[role], periods, series, state: { path: c.url.pathname, params: c.url.searchParams },
    tops: tops.map((t, i) => ({ ...t, rows: topRows[i]! })),
    payout: balances ? { balances, threshold: c.network.payoutThreshold, thresholdMinor: thresholdMinor(c.network.payoutThreshold) } : undefined,
  }));
}

/** Each role's home: where sign-in lands. Every figure is scoped in the domain (src/reports/). */
export const overviewRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin", access: ["admin"], handler: (c) => overview(c, "admin", `${c.network.networkName} at a glance.`, [
    { id: "top-programs", title: "Top programs this month", nameLabel: "Program", empty: "Programs show here once their links get clicks. Create a program and approve publishers to it." },
    { id: "top-publishers", title: "Top publishers this month", nameLabel: "Publisher", empty: "Publishers show here once their tracking links get clicks. Approve publishers to programs to give them links." },
  ]) },
  { method: "GET", path: "/dashboard/brand", access: ["brand"], handler: (c) => overview(c, "brand", "Your programs' clicks, sales and spend.", [
    { id: "top-programs", title: "Top programs this month", nameLabel: "Program", empty: "Your programs show here once publishers send clicks. Report sales with POST /api/conv using your API key." },
  ]) },
  { method: "GET", path: "/dashboard/publisher", access: ["publisher"], handler: (c) => overview(c, "publisher", "Your clicks and earnings.", [
    { id: "top-programs", title: "Your top programs this month", nameLabel: "Program", empty: "Programs show here once your tracking links get clicks. Share your links to start earning." },
  ]) },
];
