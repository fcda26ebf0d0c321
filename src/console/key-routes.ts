import { z } from "zod";
import { createAdminToken, createAdminTokenBody, listAdminTokens, revokeAdminToken } from "../network/admin-tokens";
import { listBrands } from "../network/brands";
import { createKeyFor, listKeysFor, revokeKeyFor } from "../network/brand-keys-for";
import { requireAdmin } from "../auth/party-scope";
import { keysPanel, type KeyItem, type KeysPanel } from "../../views/components/api-keys";
import { dataTable, filterBar, pager } from "../../views/components/data";
import { dateStatusControls } from "../../views/components/list-filters";
import { formatWhen } from "../../views/components/when";
import { tokensView, type TokenItem, type TokensView } from "../../views/admin/tokens";
import { html } from "../../views/html";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { csvHref, csvResponse, listPage, wantsCsv, type ListSpec } from "./list-table";
import { parseForm } from "./forms";
import { render } from "./pages";

const ms = (iso: string | null) => (iso ? Date.parse(iso) : 0);
const KEY_LIST: ListSpec<KeyItem> = {
  sorts: { mode: (k) => k.mode, created: (k) => ms(k.created_at), status: (k) => (k.revoked_at ? "revoked" : "active") },
  defaultSort: "created", defaultDir: "desc", date: (k) => ms(k.created_at), status: (k) => (k.revoked_at ? "revoked" : "active"),
};
const TOKEN_LIST: ListSpec<TokenItem> = {
  sorts: { name: (t) => t.name.toLowerCase(), created: (t) => ms(t.created_at), last_used: (t) => ms(t.last_used_at), status: (t) => (t.revoked_at ? "revoked" : "active") },
  defaultSort: "created", defaultDir: "desc", date: (t) => ms(t.created_at), status: (t) => (t.revoked_at ? "revoked" : "active"),
};
const ACTIVE_REVOKED = [{ value: "active", label: "Active" }, { value: "revoked", label: "Revoked" }];
const modeForm = z.object({ mode: z.enum(["live", "test"]) });

/** A brand's keys page (admin: any brand by id; brand user: its own). */
async function keysPage(c: ConsoleRequest, brandId: string | undefined, created: KeysPanel["created"] = null, status = 200) {
  const { brand, keys } = await listKeysFor(c.ctx, c.auth!.actor, brandId);
  const list = listPage(c, keys, KEY_LIST);
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  if (wantsCsv(c)) return csvResponse("api-keys.csv", ["id", "prefix", "mode", `created (${tz})`, `revoked (${tz})`], list.all.map((k) => [k.id, k.prefix, k.mode, formatWhen(k.created_at!, tz), k.revoked_at ? formatWhen(k.revoked_at, tz) : ""]));
  const action = brandId ? `/admin/brands/${brand.id}/keys` : "/dashboard/brand/keys";
  const intro = brandId
    ? html`<div class="page-head"><p class="small"><a href="/admin/keys">← All brands' keys</a></p><h1>API keys of ${brand.name}</h1><p class="muted">Keys the brand's server uses for <code>POST /api/conv</code>. A new key is shown once.</p></div>`
    : html`<div class="page-head"><h1>API keys</h1><p class="muted">Your server sends conversions to <code>POST /api/conv</code> with one of these keys. See <a href="/dashboard/brand/integrations">Integrations</a> for ready-to-paste code.</p></div>`;
  return render(c, "API keys", html`${intro}${keysPanel({
    keys: list.rows, action, csrf: c.auth!.session.csrfToken, tz, state: list.state, created,
    filters: filterBar({ path: c.url.pathname, csvHref: csvHref(c), controls: dateStatusControls(c.url.searchParams, ACTIVE_REVOKED) }),
    pager: pager({ path: c.url.pathname, params: c.url.searchParams, nextCursor: list.nextCursor }),
  })}`, status);
}

async function createKey(c: ConsoleRequest, brandId?: string) {
  const f = parseForm(modeForm, c.form);
  if (!f.ok) return redirect(c, c.url.pathname, [flashCookie("error", "Choose a live or a test key.")]);
  const k = await createKeyFor(c.ctx, c.auth!.actor, f.data.mode, brandId);
  return keysPage(c, brandId, { key: k.key, mode: k.mode }, 201);
}

async function revokeKey(c: ConsoleRequest, brandId?: string) {
  await revokeKeyFor(c.ctx, c.auth!.actor, c.params.kid!, brandId);
  return redirect(c, brandId ? `/admin/brands/${brandId}/keys` : "/dashboard/brand/keys", [flashCookie("ok", "The key was revoked; calls with it fail from now on.")]);
}

async function tokensPage(c: ConsoleRequest, extra: Partial<TokensView> = {}, status = 200) {
  requireAdmin(c.auth!.actor);
  const list = listPage(c, await listAdminTokens(c.ctx.db), TOKEN_LIST);
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  if (wantsCsv(c)) return csvResponse("admin-tokens.csv", ["id", "name", `created (${tz})`, `last used (${tz})`, `revoked (${tz})`], list.all.map((t) => [t.id, t.name, formatWhen(t.created_at!, tz), t.last_used_at ? formatWhen(t.last_used_at, tz) : "", t.revoked_at ? formatWhen(t.revoked_at, tz) : ""]));
  return render(c, "Admin tokens", tokensView({
    tokens: list.rows, csrf: c.auth!.session.csrfToken, tz, state: list.state,
    filters: filterBar({ path: "/admin/tokens", csvHref: csvHref(c), controls: dateStatusControls(c.url.searchParams, ACTIVE_REVOKED) }),
    pager: pager({ path: "/admin/tokens", params: c.url.searchParams, nextCursor: list.nextCursor }), ...extra,
  }), status);
}

/** Admin: every brand with its key count, to reach a brand's keys. */
async function allBrandsKeys(c: ConsoleRequest) {
  requireAdmin(c.auth!.actor);
  const brands = await listBrands(c.ctx);
  const rows = await Promise.all(brands.map(async (b) => ({ ...b, active: (await listKeysFor(c.ctx, c.auth!.actor, b.id)).keys.filter((k) => !k.revoked_at).length })));
  return render(c, "API keys", html`<div class="page-head"><h1>Brand API keys</h1><p class="muted">Each brand's server authenticates <code>POST /api/conv</code> with its keys. Admin API tokens are on <a href="/admin/tokens">Admin tokens</a>.</p></div>
<section class="panel">${dataTable({
    caption: "Brands", rows, state: { path: "/admin/keys", params: c.url.searchParams }, rowId: (b) => `brand-${b.id}`,
    empty: "Create a brand first; its keys are managed here.",
    columns: [
      { key: "name", label: "Brand", cell: (b) => html`<a href="/admin/brands/${b.id}/keys">${b.name}</a>` },
      { key: "active", label: "Active keys", numeric: true, cell: (b) => b.active },
      { key: "go", label: "", cell: (b) => html`<a href="/admin/brands/${b.id}/keys">Manage keys →</a>` },
    ],
  })}</section>`);
}

/** API keys (admin for any brand, a brand user for its own) and admin API tokens. */
export const keyRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/keys", access: ["admin"], handler: allBrandsKeys },
  { method: "GET", path: "/admin/brands/{id}/keys", access: ["admin"], handler: (c) => keysPage(c, c.params.id!) },
  { method: "POST", path: "/admin/brands/{id}/keys", access: ["admin"], handler: (c) => createKey(c, c.params.id!) },
  { method: "POST", path: "/admin/brands/{id}/keys/{kid}/revoke", access: ["admin"], handler: (c) => revokeKey(c, c.params.id!) },
  { method: "GET", path: "/dashboard/brand/keys", access: ["brand"], handler: (c) => keysPage(c, undefined) },
  { method: "POST", path: "/dashboard/brand/keys", access: ["brand"], handler: (c) => createKey(c) },
  { method: "POST", path: "/dashboard/brand/keys/{kid}/revoke", access: ["brand"], handler: (c) => revokeKey(c) },
  { method: "GET", path: "/admin/tokens", access: ["admin"], handler: (c) => tokensPage(c) },
  { method: "POST", path: "/admin/tokens", access: ["admin"], handler: async (c) => {
    const values = Object.fromEntries(c.form ?? []);
    const f = parseForm(z.object({ name: createAdminTokenBody.shape.name }), c.form);
    if (!f.ok) return tokensPage(c, { values, errors: f.errors }, 422);
    requireAdmin(c.auth!.actor);
    const t = await createAdminToken(c.ctx.db, f.data.name, c.ctx.clock.now(), c.auth!.actor);
    return tokensPage(c, { created: { name: f.data.name, token: t.token } }, 201);
  } },
  { method: "POST", path: "/admin/tokens/{id}/revoke", access: ["admin"], handler: async (c) => {
    requireAdmin(c.auth!.actor);
    const t = await revokeAdminToken(c.ctx.db, c.auth!.actor, c.params.id!, c.ctx.clock.now());
    return redirect(c, "/admin/tokens", [flashCookie("ok", `Token "${t.name}" is revoked.`)]);
  } },
];
