import { z } from "zod";
import { createApproval, getApprovalRow, setApprovalStatus } from "../../network/approvals";
import { listApprovalsDetailed, type ApprovalDetail } from "../../network/list-approvals-detailed";
import { listPrograms } from "../../network/programs";
import { listPublishers } from "../../network/publishers";
import { AppError } from "../../shared/errors";
import { applicationsView, linksView } from "../../../views/network/approvals";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "../http";
import { parseForm } from "../forms";
import { render } from "../pages";
import { listFilters, listRows, type ListSpec } from "./list";

const STATUSES = ["pending", "approved", "rejected", "suspended"];
const spec = (filename: string): ListSpec<ApprovalDetail> => ({
  sorts: { created: (a) => a.created_at, updated: (a) => a.updated_at, publisher: (a) => a.publisher_name, program: (a) => a.program_name, status: (a) => a.status },
  defaultSort: filename === "applications" ? "created" : "updated", defaultDir: "desc",
  status: { of: (a) => a.status, options: STATUSES }, date: (a) => a.created_at, search: (a) => `${a.publisher_name} ${a.program_name} ${a.brand_name} ${a.slug}`,
  csv: { filename, columns: [["id", (a) => a.id], ["publisher", (a) => a.publisher_name], ["program", (a) => a.program_name], ["brand", (a) => a.brand_name], ["status", (a) => a.status], ["tracking_url", (a) => (a.status === "approved" ? a.tracking_url : "")], ["created_at", (a) => new Date(a.created_at).toISOString()], ["updated_at", (a) => new Date(a.updated_at).toISOString()]] },
});

async function applications(c: ConsoleRequest) {
  // Applications: what publishers asked for (pending by default; decided ones stay findable by status).
  const all = await listApprovalsDetailed(c.ctx, c.auth!.actor);
  if (!c.url.searchParams.has("status")) c.url.searchParams.set("status", "pending");
  const l = listRows(c, all, spec("applications"));
  if (l.csv) return l.csv;
  return render(c, "Applications", applicationsView({ ...l, filters: listFilters(c, { status: STATUSES, dates: true, search: "Publisher or program" }), csrf: c.auth!.session.csrfToken, tz: c.network.timezone }));
}

async function links(c: ConsoleRequest) {
  const all = (await listApprovalsDetailed(c.ctx, c.auth!.actor)).filter((a) => a.status !== "pending");
  const l = listRows(c, all, spec("tracking-links"));
  if (l.csv) return l.csv;
  const [programs, publishers] = await Promise.all([listPrograms(c.ctx), listPublishers(c.ctx)]);
  return render(c, "Tracking links", linksView({
    ...l, filters: listFilters(c, { status: ["approved", "rejected", "suspended"], dates: true, search: "Publisher, program or slug" }), csrf: c.auth!.session.csrfToken, tz: c.network.timezone,
    programs: programs.filter((p) => p.status === "active"), publishers: publishers.filter((p) => p.status === "active"),
  }));
}

const MESSAGES: Record<string, string> = { approved: "Approved: the tracking link works now.", rejected: "Application rejected.", suspended: "Link suspended: it no longer redirects." };

/** Admin: applications (approve / reject) and tracking links (create, suspend / reactivate, copy). */
export const adminApprovalRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/applications", access: ["admin"], handler: applications },
  { method: "GET", path: "/admin/links", access: ["admin"], handler: links },
  { method: "POST", path: "/admin/links", access: ["admin"], handler: async (c) => {
    const f = parseForm(z.object({ program_id: z.string().min(1, "choose a program"), publisher_id: z.string().min(1, "choose a publisher") }), c.form);
    if (!f.ok) return redirect(c, "/admin/links", [flashCookie("error", "Choose a program and a publisher.")]);
    try {
      const r = await createApproval(c.ctx, c.auth!.actor, f.data);
      return redirect(c, "/admin/links", [flashCookie("ok", r.created ? "Link created." : "That publisher already had a link for this program; it is approved.")]);
    } catch (e) {
      if (e instanceof AppError && e.status === 422) return redirect(c, "/admin/links", [flashCookie("error", "That program or publisher no longer exists.")]);
      throw e;
    }
  } },
  { method: "POST", path: "/admin/approvals/{id}/status", access: ["admin"], handler: async (c) => {
    const f = parseForm(z.object({ status: z.enum(["approved", "rejected", "suspended"]) }), c.form);
    const before = await getApprovalRow(c.ctx, c.params.id!);
    const back = before.status === "pending" ? "/admin/applications" : "/admin/links";
    if (!f.ok) return redirect(c, back, [flashCookie("error", "Choose approve, reject or suspend.")]);
    await setApprovalStatus(c.ctx, c.auth!.actor, before.id, f.data.status);
    return redirect(c, back, [flashCookie("ok", MESSAGES[f.data.status]!)]);
  } },
];
