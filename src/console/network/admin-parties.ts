import { z } from "zod";
import { approvePublisherSignup } from "../../network/approve-publisher";
import { createBrand, getBrand, listBrandApiKeys, listBrands } from "../../network/brands";
import { listApprovalsDetailed } from "../../network/list-approvals-detailed";
import { maskPayout } from "../../network/mask-payout";
import { listPrograms } from "../../network/programs";
import { createPublisher, getPublisherRow, listPublishers, serializePublisher, updatePublisher } from "../../network/publishers";
import { updateBrand } from "../../network/update-brand";
import { listUsers } from "../../auth/users/list-users";
import { AppError, type FieldErrors } from "../../shared/errors";
import { brandDetailView, brandsView, publisherDetailView, publishersView, type BrandItem, type PublisherItem } from "../../../views/network/parties";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "../http";
import { parseForm } from "../forms";
import { render } from "../pages";
import { listFilters, listRows } from "./list";

const nameForm = z.object({ name: z.string().trim().min(1, "is required").max(200, "must be at most 200 characters") });
const publisherForm = nameForm.extend({ email: z.email("must be an email address").max(254) });

async function brandsPage(c: ConsoleRequest, extra: { values?: Record<string, string>; errors?: FieldErrors } = {}, status = 200) {
  const [brands, programs, users] = await Promise.all([listBrands(c.ctx), listPrograms(c.ctx), listUsers(c.ctx)]);
  const items: BrandItem[] = brands.map((b) => ({
    id: b.id, name: b.name, created_ms: Date.parse(b.created_at!),
    programs: programs.filter((p) => p.brand_id === b.id).length, active_programs: programs.filter((p) => p.brand_id === b.id && p.status === "active").length,
    users: users.filter((u) => u.brand_id === b.id).length,
  }));
  const l = listRows(c, items, {
    sorts: { name: (b) => b.name, programs: (b) => b.programs, users: (b) => b.users, created: (b) => b.created_ms }, defaultSort: "name",
    date: (b) => b.created_ms, search: (b) => b.name,
    csv: { filename: "brands", columns: [["id", (b) => b.id], ["name", (b) => b.name], ["programs", (b) => b.programs], ["active_programs", (b) => b.active_programs], ["users", (b) => b.users], ["created_at", (b) => new Date(b.created_ms).toISOString()]] },
  });
  if (l.csv) return l.csv;
  return render(c, "Brands", brandsView({ ...l, filters: listFilters(c, { dates: true, search: "Brand" }), csrf: c.auth!.session.csrfToken, tz: c.network.timezone, ...extra }), status);
}

async function brandPage(c: ConsoleRequest, extra: { values?: Record<string, string>; errors?: FieldErrors } = {}, status = 200) {
  const brand = await getBrand(c.ctx, c.params.id!);
  const [programs, users, keys] = await Promise.all([listPrograms(c.ctx, { brandId: brand.id }), listUsers(c.ctx), listBrandApiKeys(c.ctx, brand.id)]);
  return render(c, brand.name, brandDetailView({ brand, programs, users: users.filter((u) => u.brand_id === brand.id), keys, csrf: c.auth!.session.csrfToken, tz: c.network.timezone, ...extra }), status);
}

async function publisherItems(c: ConsoleRequest): Promise<PublisherItem[]> {
  const [pubs, approvals] = await Promise.all([listPublishers(c.ctx), listApprovalsDetailed(c.ctx, c.auth!.actor)]);
  return pubs.map((p) => ({
    id: p.id, name: p.name, email: p.email, status: p.status, payout: maskPayout(p.payout_method, p.payout_details), created_ms: Date.parse(p.created_at!),
    links: approvals.filter((a) => a.publisher_id === p.id && a.status === "approved").length,
  }));
}

async function publishersPage(c: ConsoleRequest, extra: { values?: Record<string, string>; errors?: FieldErrors } = {}, status = 200) {
  const l = listRows(c, await publisherItems(c), {
    sorts: { name: (p) => p.name, status: (p) => p.status, links: (p) => p.links, created: (p) => p.created_ms }, defaultSort: "created", defaultDir: "desc",
    status: { of: (p) => p.status, options: ["pending", "active", "suspended"] }, date: (p) => p.created_ms, search: (p) => `${p.name} ${p.email}`,
    csv: { filename: "publishers", columns: [["id", (p) => p.id], ["name", (p) => p.name], ["email", (p) => p.email], ["status", (p) => p.status], ["payout_method", (p) => p.payout], ["approved_links", (p) => p.links], ["created_at", (p) => new Date(p.created_ms).toISOString()]] },
  });
  if (l.csv) return l.csv;
  return render(c, "Publishers", publishersView({ ...l, filters: listFilters(c, { status: ["pending", "active", "suspended"], dates: true, search: "Name or email" }), csrf: c.auth!.session.csrfToken, tz: c.network.timezone, ...extra }), status);
}

async function publisherPage(c: ConsoleRequest, extra: { values?: Record<string, string>; errors?: FieldErrors; error?: string | null } = {}, status = 200) {
  const row = serializePublisher(await getPublisherRow(c.ctx, c.params.id!));
  const approvals = (await listApprovalsDetailed(c.ctx, c.auth!.actor)).filter((a) => a.publisher_id === row.id);
  const p: PublisherItem = { id: row.id, name: row.name, email: row.email, status: row.status, payout: maskPayout(row.payout_method, row.payout_details), created_ms: Date.parse(row.created_at!), links: approvals.length };
  return render(c, row.name, publisherDetailView({ p, csrf: c.auth!.session.csrfToken, links: approvals, ...extra }), status);
}

const values = (c: ConsoleRequest) => Object.fromEntries([...(c.form ?? [])].filter(([k]) => k !== "_csrf"));

/** Admin: brands (list, add, rename, detail) and publishers (list, add, edit, approve a self-signup). */
export const adminPartyRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/brands", access: ["admin"], handler: (c) => brandsPage(c) },
  { method: "POST", path: "/admin/brands", access: ["admin"], handler: async (c) => {
    const f = parseForm(nameForm, c.form);
    if (!f.ok) return brandsPage(c, { values: values(c), errors: f.errors }, 422);
    const b = await createBrand(c.ctx, c.auth!.actor, f.data);
    return redirect(c, `/admin/brands/${b.id}`, [flashCookie("ok", `${b.name} added. Create its first program next.`)]);
  } },
  { method: "GET", path: "/admin/brands/{id}", access: ["admin"], handler: (c) => brandPage(c) },
  { method: "POST", path: "/admin/brands/{id}", access: ["admin"], handler: async (c) => {
    await getBrand(c.ctx, c.params.id!);
    const f = parseForm(nameForm, c.form);
    if (!f.ok) return brandPage(c, { values: values(c), errors: f.errors }, 422);
    await updateBrand(c.ctx, c.auth!.actor, c.params.id!, f.data);
    return redirect(c, `/admin/brands/${c.params.id}`, [flashCookie("ok", "Brand saved.")]);
  } },
  { method: "GET", path: "/admin/publishers", access: ["admin"], handler: (c) => publishersPage(c) },
  { method: "POST", path: "/admin/publishers", access: ["admin"], handler: async (c) => {
    const f = parseForm(publisherForm, c.form);
    if (!f.ok) return publishersPage(c, { values: values(c), errors: f.errors }, 422);
    const p = await createPublisher(c.ctx, c.auth!.actor, f.data);
    return redirect(c, `/admin/publishers/${p.id}`, [flashCookie("ok", `${p.name} added. Invite its user from Users, or create its links.`)]);
  } },
  { method: "GET", path: "/admin/publishers/{id}", access: ["admin"], handler: (c) => publisherPage(c) },
  { method: "POST", path: "/admin/publishers/{id}", access: ["admin"], handler: async (c) => {
    const before = await getPublisherRow(c.ctx, c.params.id!);
    const f = parseForm(publisherForm.extend({ status: z.enum(["active", "suspended", "pending"], "choose active or suspended") }), c.form);
    if (!f.ok) return publisherPage(c, { values: values(c), errors: f.errors }, 422);
    const status = f.data.status === "pending" ? undefined : f.data.status;
    if (f.data.status === "pending" && before.status !== "pending") return publisherPage(c, { values: values(c), errors: { status: ["choose active or suspended"] } }, 422);
    try {
      await updatePublisher(c.ctx, c.auth!.actor, before.id, { name: f.data.name, email: f.data.email, ...(status && { status }) });
    } catch (e) {
      if (!(e instanceof AppError) || e.status !== 422) throw e;
      return publisherPage(c, { values: values(c), errors: e.fields, error: e.fields ? null : e.message }, 422);
    }
    return redirect(c, `/admin/publishers/${before.id}`, [flashCookie("ok", "Publisher saved.")]);
  } },
  { method: "POST", path: "/admin/publishers/{id}/approve", access: ["admin"], handler: async (c) => {
    const r = await approvePublisherSignup(c.ctx, c.auth!.actor, c.params.id!);
    return redirect(c, "/admin/publishers", [flashCookie("ok", r.changed ? "Publisher approved: its users can sign in and apply to programs." : "That publisher was already active.")]);
  } },
];
