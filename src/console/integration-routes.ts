import { z } from "zod";
import { listBrands } from "../network/brands";
import { listPrograms } from "../network/programs";
import { brandOf, requireAdmin } from "../auth/party-scope";
import { createIntegration, createIntegrationBody, updateIntegration } from "../integrations/integration-store";
import { getIntegrationFor, listIntegrationsFor, type IntegrationListItem } from "../integrations/list-integrations-for";
import { AppError, type FieldErrors } from "../shared/errors";
import { adminIntegrationsView, type AdminIntegrationsView } from "../../views/admin/integrations";
import { formatWhen } from "../../views/components/when";
import { filterBar, pager } from "../../views/components/data";
import { dateStatusControls } from "../../views/components/list-filters";
import { brandIntegrationDetailView, brandIntegrationsView } from "../../views/brand/integrations";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { csvHref, csvResponse, listPage, wantsCsv, type ListSpec } from "./list-table";
import { parseForm } from "./forms";
import { zodFields } from "../api/body";
import { render } from "./pages";

export const INTEGRATION_LIST: ListSpec<IntegrationListItem> = {
  sorts: { provider: (r) => r.provider, program: (r) => r.programName.toLowerCase(), mode: (r) => r.mode, created: (r) => r.createdAt },
  defaultSort: "created", defaultDir: "desc", date: (r) => r.createdAt, status: (r) => r.mode,
};

async function page(c: ConsoleRequest, extra: Partial<AdminIntegrationsView> = {}, status = 200) {
  const all = await listIntegrationsFor(c.ctx, c.auth!.actor);
  const list = listPage(c, all, INTEGRATION_LIST);
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  if (wantsCsv(c)) {
    return csvResponse("integrations.csv", ["id", "provider", "brand", "program", "mode", "webhook_url", "accepted", "duplicate", "updated", "rejected", `created (${tz})`],
      list.all.map((r) => [r.id, r.provider, r.brandName, r.programName, r.mode, r.webhookUrl, r.counts?.accepted, r.counts?.duplicate, r.counts?.updated, r.counts?.rejected, formatWhen(r.createdAt, tz)]));
  }
  const [programs, brands] = await Promise.all([listPrograms(c.ctx), listBrands(c.ctx)]);
  const brandName = new Map(brands.map((b) => [b.id, b.name]));
  return render(c, "Integrations", adminIntegrationsView({
    rows: list.rows, total: list.all.length, state: list.state, nextCursor: list.nextCursor, csvHref: csvHref(c), csrf: c.auth!.session.csrfToken, tz,
    programs: programs.map((p) => ({ id: p.id, name: p.name, brandName: brandName.get(p.brand_id) ?? "" })), ...extra,
  }), status);
}

const list = (s: string | undefined) => (s ?? "").split(/[\s,]+/).filter(Boolean);
const given = (s: string | null | undefined) => (s && s.trim() ? s.trim() : undefined);

/** The form's fields as the API body (the secret field differs per provider: webhook secret, shared secret, URL token). */
function bodyOf(form: URLSearchParams) {
  const provider = form.get("provider") ?? "";
  const secret = provider === "generic" ? form.get("generic_secret") : provider === "impact" ? form.get("url_token") : form.get("secret");
  const b: Record<string, unknown> = {
    program_id: form.get("program_id") ?? "", provider, mode: form.get("mode") || "test", secret: given(secret), contact_email: given(form.get("contact_email")),
    ...(provider === "generic" && { vendor_id: given(form.get("vendor_id")) }),
    ...(provider === "impact" && { basic_user: given(form.get("basic_user")), basic_password: given(form.get("basic_password")) }),
    ...(provider === "everflow" && {
      ip_allowlist: list(form.get("ip_allowlist") ?? undefined).length ? list(form.get("ip_allowlist") ?? undefined) : undefined,
      trusted_proxies: list(form.get("trusted_proxies") ?? undefined).length ? list(form.get("trusted_proxies") ?? undefined) : undefined,
      currency: given(form.get("currency"))?.toUpperCase(),
    }),
  };
  for (const k of Object.keys(b)) if (b[k] === undefined) delete b[k];
  return b;
}

/** API field errors next to the form field that holds them (`ip_allowlist.2` -> ip_allowlist; the secret per provider). */
function formErrors(provider: string, fields: FieldErrors): FieldErrors {
  const secretField = provider === "generic" ? "generic_secret" : provider === "impact" ? "url_token" : "secret";
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(fields)) {
    const top = k.split(".")[0]!;
    const name = top === "secret" ? secretField : top === "_" ? "program_id" : top;
    out[name] = [...(out[name] ?? []), ...v];
  }
  return out;
}

/** A brand's integrations (read-only) and the copy-paste setup for its programs. */
async function brandPage(c: ConsoleRequest) {
  const actor = c.auth!.actor;
  const [integrations, programs] = await Promise.all([listIntegrationsFor(c.ctx, actor), listPrograms(c.ctx, { brandId: brandOf(actor)! })]);
  const list = listPage(c, integrations, INTEGRATION_LIST);
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  if (wantsCsv(c)) {
    return csvResponse("integrations.csv", ["id", "provider", "program", "mode", "webhook_url", `created (${tz})`],
      list.all.map((r) => [r.id, r.provider, r.programName, r.mode, r.webhookUrl, formatWhen(r.createdAt, tz)]));
  }
  const wanted = c.url.searchParams.get("program");
  const own = programs.map((p) => ({ id: p.id, name: p.name, currency: p.currency }));
  return render(c, "Integrations", brandIntegrationsView({
    programs: own, program: own.find((p) => p.id === wanted) ?? own[0] ?? null, integrations: list.rows, state: list.state, tz,
    filters: filterBar({ path: c.url.pathname, csvHref: csvHref(c), controls: dateStatusControls(c.url.searchParams, [{ value: "test", label: "Test" }, { value: "live", label: "Live" }], "Mode") }),
    pager: pager({ path: c.url.pathname, params: c.url.searchParams, nextCursor: list.nextCursor }),
    publicUrl: c.ctx.config.PUBLIC_URL, clickParam: c.ctx.config.CLICK_PARAM,
  }));
}

/** Admin: integrations (list with inbox verdict counts, connect, test <-> live). Brand: its own, read-only, with setup. */
export const integrationRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/integrations", access: ["admin"], handler: (c) => page(c) },
  { method: "POST", path: "/admin/integrations", access: ["admin"], handler: async (c) => {
    requireAdmin(c.auth!.actor);
    const values = Object.fromEntries(c.form ?? []);
    const provider = c.form?.get("provider") ?? "";
    const r = createIntegrationBody.safeParse(bodyOf(c.form ?? new URLSearchParams()));
    try {
      if (!r.success) throw new AppError(422, "validation_failed", "Invalid request", zodFields(r.error));
      const created = await createIntegration(c.ctx, c.auth!.actor, r.data);
      const item = await getIntegrationFor(c.ctx, c.auth!.actor, created.id);
      return page(c, { created: { id: created.id, provider: created.provider, programName: item.programName, webhookUrl: created.webhook_url } }, 201);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      return page(c, { values, errors: formErrors(provider, e.fields ?? {}), error: e.fields ? "Check the fields marked below." : e.message }, 422);
    }
  } },
  { method: "POST", path: "/admin/integrations/{id}/mode", access: ["admin"], handler: async (c) => {
    const f = parseForm(z.object({ mode: z.enum(["test", "live"]) }), c.form);
    if (!f.ok) return redirect(c, "/admin/integrations", [flashCookie("error", "Choose test or live.")]);
    const before = await getIntegrationFor(c.ctx, c.auth!.actor, c.params.id!);
    await updateIntegration(c.ctx, c.auth!.actor, before.id, { mode: f.data.mode });
    const text = f.data.mode === "live" ? `${before.programName} (${before.provider}) is live: its conversions now count.` : `${before.programName} (${before.provider}) is back in test mode.`;
    return redirect(c, "/admin/integrations", [flashCookie("ok", text)]);
  } },
  { method: "GET", path: "/dashboard/brand/integrations", access: ["brand"], handler: brandPage },
  { method: "GET", path: "/dashboard/brand/integrations/{id}", access: ["brand"], handler: async (c) => {
    const i = await getIntegrationFor(c.ctx, c.auth!.actor, c.params.id!);
    return render(c, "Integration setup", brandIntegrationDetailView(i, c.ctx.config.CLICK_PARAM, c.ctx.config.NETWORK_TIMEZONE));
  } },
];
