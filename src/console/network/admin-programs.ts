import { z } from "zod";
import { listBrands } from "../../network/brands";
import { listApprovalsDetailed } from "../../network/list-approvals-detailed";
import { createProgram, createProgramBody, getProgramRow, listPrograms, serializeProgram, updateProgram, updateProgramBody } from "../../network/programs";
import { zodFields } from "../../api/body";
import { AppError, type FieldErrors } from "../../shared/errors";
import { canonicalHttpUrl } from "../../shared/validators";
import { destPreview, programFormView, programsListView, type ProgramItem } from "../../../views/network/programs";
import { flashCookie, htmlResponse, redirect, type ConsoleRequest, type ConsoleRoute } from "../http";
import { parseForm } from "../forms";
import { render } from "../pages";
import { listFilters, listRows } from "./list";

const ATTR_KEYS = ["category", "countries", "devices"] as const;

async function programItems(c: ConsoleRequest): Promise<ProgramItem[]> {
  const [programs, brands, approvals] = await Promise.all([listPrograms(c.ctx), listBrands(c.ctx), listApprovalsDetailed(c.ctx, c.auth!.actor)]);
  const brandName = new Map(brands.map((b) => [b.id, b.name]));
  return programs.map((p) => ({
    ...p, brand_name: brandName.get(p.brand_id) ?? "", created_ms: Date.parse(p.created_at!),
    approved_count: approvals.filter((a) => a.program_id === p.id && a.status === "approved").length,
  }));
}

async function listPage(c: ConsoleRequest) {
  const l = listRows(c, await programItems(c), {
    sorts: { name: (p) => p.name, brand: (p) => p.brand_name, status: (p) => p.status, currency: (p) => p.currency, fee: (p) => p.network_fee_bps, publishers: (p) => p.approved_count, created: (p) => p.created_ms },
    defaultSort: "created", defaultDir: "desc",
    status: { of: (p) => p.status, options: ["active", "paused"] }, date: (p) => p.created_ms, search: (p) => `${p.name} ${p.brand_name}`,
    csv: { filename: "programs", columns: [["id", (p) => p.id], ["name", (p) => p.name], ["brand", (p) => p.brand_name], ["status", (p) => p.status], ["commission_type", (p) => p.commission_type], ["commission_value", (p) => p.commission_value], ["currency", (p) => p.currency], ["network_fee_pct", (p) => p.network_fee_pct], ["cookie_window_days", (p) => p.cookie_window_days], ["auto_approve_days", (p) => p.auto_approve_days], ["dest_url", (p) => p.dest_url], ["approved_publishers", (p) => p.approved_count], ["created_at", (p) => p.created_at]] },
  });
  if (l.csv) return l.csv;
  return render(c, "Programs", programsListView({ ...l, filters: listFilters(c, { status: ["active", "paused"], dates: true, search: "Program or brand" }), csrf: c.auth!.session.csrfToken, tz: c.network.timezone }));
}

/** Form fields -> the API body shape (the same schemas validate both). */
function bodyFromForm(form: URLSearchParams, existingAttrs: Record<string, string[]>, mode: "create" | "edit") {
  const s = (k: string) => (form.get(k) ?? "").trim();
  const int = (k: string) => (/^\d+$/.test(s(k)) ? Number(s(k)) : s(k) === "" ? undefined : s(k));
  const attributes: Record<string, string | string[]> = Object.fromEntries(Object.entries(existingAttrs).filter(([k]) => !(ATTR_KEYS as readonly string[]).includes(k)));
  if (s("category")) attributes.category = s("category");
  const countries = s("countries").split(/[\s,]+/).filter(Boolean);
  if (countries.length) attributes.countries = countries;
  const devices = form.getAll("devices").filter(Boolean);
  if (devices.length) attributes.devices = devices;
  return {
    ...(mode === "create" && { brand_id: s("brand_id"), currency: s("currency") }),
    name: s("name"), dest_url: s("dest_url"), commission_type: s("commission_type"), commission_value: s("commission_value"),
    network_fee_pct: s("network_fee_pct"), cookie_window_days: int("cookie_window_days") ?? 30,
    auto_approve_days: int("auto_approve_days") ?? null, pass_through_params: form.get("pass_through_params") === "on", attributes,
  };
}

/** attributes.countries -> countries, so errors sit next to their field. */
function formErrors(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(fields)) {
    const key = k.startsWith("attributes.") ? k.split(".")[1]! : k === "attributes" ? "category" : k;
    out[key] = [...(out[key] ?? []), ...v];
  }
  return out;
}

function valuesOf(p: ProgramItem): Record<string, string> {
  return {
    name: p.name, dest_url: p.dest_url, commission_type: p.commission_type, commission_value: p.commission_value, currency: p.currency,
    network_fee_pct: p.network_fee_pct, cookie_window_days: String(p.cookie_window_days), auto_approve_days: p.auto_approve_days === null ? "" : String(p.auto_approve_days),
    pass_through_params: p.pass_through_params ? "on" : "", category: (p.attributes.category ?? []).join(", "), countries: (p.attributes.countries ?? []).join(", "),
  };
}

async function formPage(c: ConsoleRequest, o: { program?: ProgramItem; values?: Record<string, string>; devices?: string[]; errors?: FieldErrors; error?: string | null; savedUrl?: string | null }, status = 200) {
  const brands = await listBrands(c.ctx);
  const mode = o.program ? "edit" : "create";
  const values = o.values ?? (o.program ? valuesOf(o.program) : { brand_id: c.url.searchParams.get("brand_id") ?? "", network_fee_pct: c.network.defaultFeePct, cookie_window_days: "30", commission_type: "percentage", currency: "USD" });
  const devices = o.devices ?? o.program?.attributes.devices ?? [];
  return render(c, o.program ? o.program.name : "New program", programFormView({ mode, program: o.program, brands, values, devices, errors: o.errors, error: o.error, csrf: c.auth!.session.csrfToken, savedUrl: o.savedUrl }), status);
}

async function itemOf(c: ConsoleRequest, id: string): Promise<ProgramItem> {
  const row = await getProgramRow(c.ctx, id);
  const p = serializeProgram(row);
  const [brands, approvals] = await Promise.all([listBrands(c.ctx), listApprovalsDetailed(c.ctx, c.auth!.actor)]);
  return { ...p, brand_name: brands.find((b) => b.id === p.brand_id)?.name ?? "", created_ms: row.createdAt, approved_count: approvals.filter((a) => a.program_id === id && a.status === "approved").length };
}

/** Runs a create/update; a validation failure re-renders the form with errors next to the fields and stores nothing. */
async function save(c: ConsoleRequest, program: ProgramItem | undefined) {
  const form = c.form ?? new URLSearchParams();
  const values = Object.fromEntries([...form.entries()].filter(([k]) => k !== "_csrf" && k !== "devices"));
  const devices = form.getAll("devices");
  const body = bodyFromForm(form, program?.attributes ?? {}, program ? "edit" : "create");
  const parsed = (program ? updateProgramBody : createProgramBody).safeParse(body);
  if (!parsed.success) return formPage(c, { program, values, devices, errors: formErrors(zodFields(parsed.error)) }, 422);
  try {
    const saved = program
      ? await updateProgram(c.ctx, c.auth!.actor, program.id, parsed.data as z.infer<typeof updateProgramBody>)
      : await createProgram(c.ctx, c.auth!.actor, parsed.data as z.infer<typeof createProgramBody>);
    return redirect(c, `/admin/programs/${saved.id}?saved=1`, [flashCookie("ok", program ? "Program saved." : "Program created.")]);
  } catch (e) {
    if (!(e instanceof AppError) || e.status >= 500 || e.status === 404) throw e;
    return formPage(c, { program, values, devices, errors: e.fields ? formErrors(e.fields) : undefined, error: e.fields ? null : e.message }, 422);
  }
}

/** Admin: programs list, create, edit (canonical destination shown back and previewed), pause / resume. */
export const adminProgramRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/programs", access: ["admin"], handler: listPage },
  { method: "GET", path: "/admin/programs/new", access: ["admin"], handler: (c) => formPage(c, {}) },
  { method: "POST", path: "/admin/programs", access: ["admin"], handler: (c) => save(c, undefined) },
  { method: "GET", path: "/admin/programs/preview-url", access: ["admin"], handler: (c) => {
    const raw = c.url.searchParams.get("dest_url") ?? "";
    const r = raw.trim() === "" ? {} : canonicalHttpUrl(raw);
    return htmlResponse(destPreview(r).value);
  } },
  { method: "GET", path: "/admin/programs/{id}", access: ["admin"], handler: async (c) => {
    const p = await itemOf(c, c.params.id!);
    return formPage(c, { program: p, savedUrl: c.url.searchParams.get("saved") ? p.dest_url : null });
  } },
  { method: "POST", path: "/admin/programs/{id}", access: ["admin"], handler: async (c) => save(c, await itemOf(c, c.params.id!)) },
  { method: "POST", path: "/admin/programs/{id}/status", access: ["admin"], handler: async (c) => {
    const f = parseForm(z.object({ status: z.enum(["active", "paused"]) }), c.form);
    const back = c.request.headers.get("referer")?.includes(`/admin/programs/${c.params.id}`) ? `/admin/programs/${c.params.id}` : "/admin/programs";
    if (!f.ok) return redirect(c, back, [flashCookie("error", "Choose pause or resume.")]);
    const p = await updateProgram(c.ctx, c.auth!.actor, c.params.id!, { status: f.data.status });
    return redirect(c, back, [flashCookie("ok", f.data.status === "paused" ? `${p.name} is paused: its links answer "no longer available".` : `${p.name} is active again.`)]);
  } },
];
