import { publisherStats, statsCsv, statsQuery } from "../reports/publisher-stats";
import { publisherStatsView } from "../../views/console/publisher-stats";
import type { ConsoleRequest, ConsoleRoute } from "./http";
import { render } from "./pages";

const query = (c: ConsoleRequest) => statsQuery.parse(Object.fromEntries(c.url.searchParams));

/** The publisher's stats page and its CSV export (same query, same scoped verb). */
export const statsRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/dashboard/publisher/stats", access: ["publisher"], handler: async (c) => {
    const stats = await publisherStats({ ctx: c.ctx, actor: c.auth!.actor, query: query(c) });
    return render(c, "Stats", publisherStatsView(stats, { path: c.url.pathname, params: c.url.searchParams }), stats.errors ? 422 : 200);
  } },
  { method: "GET", path: "/dashboard/publisher/stats.csv", access: ["publisher"], handler: async (c) => {
    const stats = await publisherStats({ ctx: c.ctx, actor: c.auth!.actor, query: { ...query(c), page: 1 } });
    return new Response(statsCsv(stats), { headers: {
      "content-type": "text/csv; charset=utf-8", "cache-control": "no-store",
      "content-disposition": `attachment; filename="stats-${stats.by}-${stats.from}-to-${stats.to}.csv"`,
    } });
  } },
];
