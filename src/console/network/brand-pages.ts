import { getBrandProgram, listBrandPrograms } from "../../network/brand-programs";
import { brandProgramsView, brandProgramView } from "../../../views/network/parties";
import type { ConsoleRequest, ConsoleRoute } from "../http";
import { render } from "../pages";
import { listFilters, listRows } from "./list";

async function programs(c: ConsoleRequest) {
  const l = listRows(c, await listBrandPrograms(c.ctx, c.auth!.actor), {
    sorts: { name: (p) => p.name, status: (p) => p.status, publishers: (p) => p.publishers.length, created: (p) => p.created_at }, defaultSort: "name",
    status: { of: (p) => p.status, options: ["active", "paused"] }, date: (p) => p.created_at, search: (p) => `${p.name} ${p.publishers.join(" ")}`,
    csv: { filename: "programs", columns: [["id", (p) => p.id], ["name", (p) => p.name], ["status", (p) => p.status], ["commission_type", (p) => p.commission_type], ["commission_value", (p) => p.commission_value], ["currency", (p) => p.currency], ["network_fee_pct", (p) => p.network_fee_pct], ["approved_publishers", (p) => p.publishers.length], ["publishers", (p) => p.publishers.join("; ")], ["created_at", (p) => new Date(p.created_at).toISOString()]] },
  });
  if (l.csv) return l.csv;
  return render(c, "Programs", brandProgramsView({ ...l, filters: listFilters(c, { status: ["active", "paused"], dates: true, search: "Program or publisher" }), csrf: c.auth!.session.csrfToken, tz: c.network.timezone }));
}

/**
 * Brand: its programs and their publishers (names and counts only). Read-only
 * by decision: SPEC §8/§11 make programs the network's to create, edit and pause.
 */
export const brandNetworkRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/dashboard/brand/programs", access: ["brand"], handler: programs },
  { method: "GET", path: "/dashboard/brand/programs/{id}", access: ["brand"], handler: async (c) => {
    const p = await getBrandProgram(c.ctx, c.auth!.actor, c.params.id!);
    return render(c, p.name, brandProgramView(p, c.network.timezone));
  } },
];
