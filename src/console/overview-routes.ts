import { listBrands } from "../admin/brands";
import { listPublishers } from "../admin/publishers";
import { listUsers } from "../auth/users/list-users";
import { listConversions, listConversionsQuery } from "../conversions/list-conversions";
import { serializeConversionFor } from "../conversions/serialize";
import { html } from "../../views/html";
import { overviewView, type RecentConversion } from "../../views/console/overview";
import type { Kpi } from "../../views/components/data";
import type { ConsoleRequest, ConsoleRoute } from "./http";
import { render } from "./pages";

/** The latest conversions the signed-in actor may see (scope decided in the domain). */
async function recent(c: ConsoleRequest): Promise<RecentConversion[]> {
  const page = await listConversions({ ctx: c.ctx, actor: c.auth!.actor, query: listConversionsQuery.parse({ limit: 10 }) });
  return page.rows.map((row) => {
    const s = serializeConversionFor(c.auth!.actor, row);
    const payout = "commission" in s ? String(s.commission) : s.publisher_payout;
    return { id: s.id, created_at: s.created_at, brand_order_ref: s.brand_order_ref, order_value: s.order_value, order_currency: s.order_currency, status: s.status, payout, currency: s.currency };
  });
}

function overview(c: ConsoleRequest, o: { title: string; intro: string; kpis: Kpi[]; payoutLabel: string; empty: string }, rows: RecentConversion[]) {
  return render(c, o.title, overviewView({ ...o, recent: rows, state: { path: c.url.pathname, params: c.url.searchParams }, empty: html`${o.empty}` }));
}

/** Each role's home: where sign-in lands. */
export const overviewRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin", access: ["admin"], handler: async (c) => {
    const [users, brands, publishers, rows] = await Promise.all([listUsers(c.ctx), listBrands(c.ctx), listPublishers(c.ctx), recent(c)]);
    return overview(c, {
      title: "Overview", intro: `Welcome back. This is ${c.network.networkName} at a glance.`, payoutLabel: "Commission",
      empty: "Conversions appear here as brands report sales (POST /api/conv) or their platforms send webhooks.",
      kpis: [
        { label: "Brands", value: String(brands.length) }, { label: "Publishers", value: String(publishers.length) },
        { label: "Users", value: String(users.length) }, { label: "Awaiting approval", value: String(users.filter((u) => u.status === "pending").length) },
      ],
    }, rows);
  } },
  { method: "GET", path: "/dashboard/brand", access: ["brand"], handler: async (c) => overview(c, {
    title: "Overview", intro: "Your programs' latest conversions.", payoutLabel: "Commission", kpis: [],
    empty: "Your conversions appear here once your shop reports sales. Ask the network for an API key to send them.",
  }, await recent(c)) },
  { method: "GET", path: "/dashboard/publisher", access: ["publisher"], handler: async (c) => overview(c, {
    title: "Overview", intro: "Sales credited to you.", payoutLabel: "Your earnings", kpis: [],
    empty: "Your credited sales appear here. Share your tracking links to start earning.",
  }, await recent(c)) },
];
