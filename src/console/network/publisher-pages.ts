import { applyToProgram } from "../../network/apply-to-program";
import { listMarketplace, type MarketplaceItem } from "../../network/list-marketplace";
import { PAYOUT_METHODS } from "../../network/payout-methods";
import { buildLink, getOwnLink, LINK_PARAMS, listOwnLinks, MAX_LINK_PARAM, type OwnLink } from "../../network/publisher-links";
import { getOwnPublisher, updateOwnPublisher } from "../../network/update-own-publisher";
import { AppError, type FieldErrors } from "../../shared/errors";
import { qrCode } from "../../../views/components/qr";
import { linkBuilderView, linkResult, marketplaceView, PAYOUT_FIELD_NAMES, publisherSettingsView } from "../../../views/network/publisher";
import { flashCookie, htmlResponse, redirect, type ConsoleRequest, type ConsoleRoute } from "../http";
import { render } from "../pages";
import { listFilters, listRows } from "./list";

const MARKET_STATUS = ["not applied", "pending", "approved", "rejected", "suspended"];
const statusOf = (m: MarketplaceItem) => m.application?.status ?? "not applied";

async function marketplace(c: ConsoleRequest) {
  const l = listRows(c, await listMarketplace(c.ctx, c.auth!.actor), {
    sorts: { name: (m) => m.name, category: (m) => m.category.join(","), status: statusOf },
    defaultSort: "name", status: { of: statusOf, options: MARKET_STATUS }, search: (m) => `${m.name} ${m.brand_name} ${m.category.join(" ")} ${m.countries.join(" ")}`,
    date: (m) => m.created_at,
    csv: { filename: "programs", columns: [["program", (m) => m.name], ["brand", (m) => m.brand_name], ["you_earn", (m) => m.earn.text], ["category", (m) => m.category.join(" ")], ["countries", (m) => m.countries.join(" ")], ["status", statusOf], ["tracking_url", (m) => m.application?.tracking_url ?? ""]] },
  });
  if (l.csv) return l.csv;
  return render(c, "Programs", marketplaceView({ ...l, filters: listFilters(c, { status: MARKET_STATUS, search: "Program, brand, category or country" }), csrf: c.auth!.session.csrfToken }));
}

/** Sub-ids and UTM values from the query, with a field error for an over-long one (which is left out of the link). */
function linkValues(p: URLSearchParams): { values: Record<string, string>; errors: FieldErrors } {
  const values: Record<string, string> = {};
  const errors: FieldErrors = {};
  for (const k of LINK_PARAMS) {
    const v = (p.get(k) ?? "").trim();
    if (v.length > MAX_LINK_PARAM) errors[k] = [`must be at most ${MAX_LINK_PARAM} characters`];
    else if (v) values[k] = v;
  }
  return { values, errors };
}

async function result(link: OwnLink | null, p: URLSearchParams) {
  if (!link) return linkResult({ url: null, qr: null, passThrough: false });
  const { values, errors } = linkValues(p);
  const url = buildLink(link.tracking_url, values);
  return linkResult({ url, qr: await qrCode(url, `QR code for ${url}`), passThrough: link.pass_through_params, errors });
}

async function chosenLink(c: ConsoleRequest, links: OwnLink[]): Promise<OwnLink | null> {
  const id = c.url.searchParams.get("link");
  if (id) return getOwnLink(c.ctx, c.auth!.actor, id); // another publisher's link id: 404
  return links[0] ?? null;
}

function settingsValues(pub: Awaited<ReturnType<typeof getOwnPublisher>>): Record<string, string> {
  const v: Record<string, string> = { name: pub.name, email: pub.email };
  if (pub.payout_method && pub.payout_details) for (const [k, x] of Object.entries(pub.payout_details)) v[`${pub.payout_method}.${k}`] = String(x);
  return v;
}

async function settingsPage(c: ConsoleRequest, o: { values?: Record<string, string>; method?: string; errors?: FieldErrors; error?: string | null } = {}, status = 200) {
  const pub = await getOwnPublisher(c.ctx, c.auth!.actor);
  return render(c, "Settings", publisherSettingsView({ csrf: c.auth!.session.csrfToken, values: o.values ?? settingsValues(pub), method: o.method ?? pub.payout_method ?? "", errors: o.errors, error: o.error }), status);
}

/** payout_details.account_number -> ACH.account_number: the error goes next to its input. */
function settingsErrors(method: string, fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(fields)) {
    const key = k === "payout_details" ? "payout_method" : k.startsWith("payout_details.") ? `${method}.${k.slice("payout_details.".length)}` : k;
    out[key] = [...(out[key] ?? []), ...v];
  }
  return out;
}

async function saveSettings(c: ConsoleRequest) {
  const form = c.form ?? new URLSearchParams();
  const values = Object.fromEntries([...form.entries()].filter(([k]) => k !== "_csrf"));
  const method = form.get("payout_method") ?? "";
  const errors: FieldErrors = {};
  const name = (form.get("name") ?? "").trim();
  const email = (form.get("email") ?? "").trim();
  if (!name) errors.name = ["is required"];
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) errors.email = ["must be an email address"];
  if (method && !(PAYOUT_METHODS as readonly string[]).includes(method)) errors.payout_method = ["choose one of the methods"];
  if (Object.keys(errors).length) return settingsPage(c, { values, method, errors }, 422);
  const details: Record<string, string> = {};
  for (const f of PAYOUT_FIELD_NAMES[method] ?? []) { const v = (form.get(`${method}.${f.name}`) ?? "").trim(); if (v) details[f.name] = v; }
  try {
    await updateOwnPublisher(c.ctx, c.auth!.actor, { name, email, ...(method ? { payout_method: method as (typeof PAYOUT_METHODS)[number], payout_details: details } : {}) });
  } catch (e) {
    if (!(e instanceof AppError) || e.status !== 422) throw e;
    return settingsPage(c, { values, method, errors: settingsErrors(method, e.fields ?? {}), error: e.message === "Invalid request" ? null : `${e.message}: see the fields below.` }, 422);
  }
  return redirect(c, "/dashboard/publisher/settings", [flashCookie("ok", "Settings saved.")]);
}

/** Publisher self-service: the program marketplace (apply), the link builder (sub-ids, UTM, QR), payout and contact settings. */
export const publisherNetworkRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/dashboard/publisher/programs", access: ["publisher"], handler: marketplace },
  { method: "POST", path: "/dashboard/publisher/programs/{id}/apply", access: ["publisher"], handler: async (c) => {
    const r = await applyToProgram(c.ctx, c.auth!.actor, c.params.id!);
    return redirect(c, "/dashboard/publisher/programs", [flashCookie(r.created ? "ok" : "error", r.created ? "Application sent. The network will review it; your link appears here once approved." : "You have already applied to this program.")]);
  } },
  { method: "GET", path: "/dashboard/publisher/links", access: ["publisher"], handler: async (c) => {
    const links = await listOwnLinks(c.ctx, c.auth!.actor);
    const link = await chosenLink(c, links);
    const values = Object.fromEntries(LINK_PARAMS.map((k) => [k, c.url.searchParams.get(k) ?? ""]));
    return render(c, "Link builder", linkBuilderView({ links, selected: link?.id ?? "", values, result: await result(link, c.url.searchParams) }));
  } },
  { method: "GET", path: "/dashboard/publisher/links/build", access: ["publisher"], handler: async (c) => {
    const links = await listOwnLinks(c.ctx, c.auth!.actor);
    return htmlResponse((await result(await chosenLink(c, links), c.url.searchParams)).value);
  } },
  { method: "GET", path: "/dashboard/publisher/settings", access: ["publisher"], handler: (c) => settingsPage(c) },
  { method: "POST", path: "/dashboard/publisher/settings", access: ["publisher"], handler: saveSettings },
];
