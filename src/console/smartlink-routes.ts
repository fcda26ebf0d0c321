import { zodFields } from "../api/body";
import { listPublishers } from "../network/publishers";
import { requireAdmin } from "../auth/party-scope";
import { AppError, type FieldErrors } from "../shared/errors";
import { createSmartLink, createSmartLinkBody, listProgramScores, listRubricVersions, putRubric, putRubricBody, putScores } from "../smartlinks";
import { loadBoard } from "../smartlinks/board";
import { listSmartLinksFor } from "../smartlinks/list-smart-links-for";
import { rubricView, scoresView, type RubricView, type ScoresView, type SignalRow } from "../../views/admin/smartlinks";
import { adminSmartLinksView, type AdminSmartLinksView } from "../../views/admin/smart-link-list";
import { filterBar, pager } from "../../views/components/data";
import { dateStatusControls } from "../../views/components/list-filters";
import { criteriaText, smartLinkTable, type SmartLinkItem } from "../../views/components/smart-links";
import { formatWhen } from "../../views/components/when";
import { html } from "../../views/html";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { csvHref, csvResponse, listPage, wantsCsv, type ListSpec } from "./list-table";
import { render } from "./pages";

const BLANK: SignalRow = { key: "", name: "", description: "", weight: "" };

async function rubricPage(c: ConsoleRequest, extra: Partial<RubricView> = {}, status = 200) {
  requireAdmin(c.auth!.actor);
  const versions = await listRubricVersions(c.ctx);
  const cur = versions[0];
  const values = extra.values ?? {
    threshold: cur?.threshold ?? "70", flat_amount: cur?.flat_commission?.amount ?? "", flat_currency: cur?.flat_commission?.currency ?? "",
    signals: [...(cur?.signals ?? []).map((s) => ({ key: s.key, name: s.name, description: s.description ?? "", weight: String(s.weight) })), BLANK, BLANK],
  };
  return render(c, "Rubric", rubricView({ versions, csrf: c.auth!.session.csrfToken, tz: c.ctx.config.NETWORK_TIMEZONE, state: { path: "/admin/rubric", params: c.url.searchParams }, ...extra, values }), status);
}

function rubricForm(form: URLSearchParams): RubricView["values"] {
  const col = (f: string) => form.getAll(`signal_${f}`);
  const keys = col("key"), names = col("name"), descs = col("description"), weights = col("weight");
  const signals: SignalRow[] = keys.map((key, i) => ({ key: key.trim(), name: (names[i] ?? "").trim(), description: (descs[i] ?? "").trim(), weight: (weights[i] ?? "").trim() }))
    .filter((s) => s.key || s.name || s.description || s.weight);
  return { threshold: (form.get("threshold") ?? "").trim(), flat_amount: (form.get("flat_amount") ?? "").trim(), flat_currency: (form.get("flat_currency") ?? "").trim(), signals };
}

async function publishRubric(c: ConsoleRequest) {
  requireAdmin(c.auth!.actor);
  const values = rubricForm(c.form ?? new URLSearchParams());
  const body = {
    threshold: values.threshold || "70",
    signals: values.signals.map((s) => ({ key: s.key, name: s.name, ...(s.description ? { description: s.description } : {}), weight: /^\d+$/.test(s.weight) ? Number(s.weight) : s.weight })),
    flat_commission: values.flat_amount || values.flat_currency ? { amount: values.flat_amount, currency: values.flat_currency } : null,
  };
  const shown = { ...values, signals: [...values.signals, BLANK] };
  // Row errors point at the rows as shown (blank rows were dropped, in order, before parsing).
  const r = putRubricBody.safeParse(body);
  if (!r.success) return rubricPage(c, { values: shown, errors: zodFields(r.error), error: "Nothing was published: fix the fields marked below." }, 422);
  try {
    const v = await putRubric(c.ctx, c.auth!.actor, r.data);
    return redirect(c, "/admin/rubric", [flashCookie("ok", `Rubric version ${v.version} is published (and public at /rubric).`)]);
  } catch (e) {
    if (!(e instanceof AppError) || e.status >= 500) throw e;
    return rubricPage(c, { values: shown, errors: e.fields ?? {}, error: e.message }, e.status);
  }
}

async function scoresPage(c: ConsoleRequest, extra: Partial<ScoresView> = {}, status = 200, programId = c.url.searchParams.get("program")) {
  requireAdmin(c.auth!.actor);
  const board = await loadBoard(c.ctx, c.ctx.clock.now());
  const sort = c.url.searchParams.get("sort");
  const dir = c.url.searchParams.get("dir") === "desc" ? -1 : 1;
  if (sort === "total") board.programs.sort((a, b) => ((a.total ?? -1) - (b.total ?? -1)) * dir);
  if (sort === "name") board.programs.sort((a, b) => a.name.localeCompare(b.name) * dir);
  if (sort === "scored") board.programs.sort((a, b) => ((a.scored?.at ?? 0) - (b.scored?.at ?? 0)) * dir);
  const selected = programId ? board.programs.find((p) => p.id === programId) ?? null : null;
  if (programId && !selected) throw new AppError(404, "not_found", "Program not found");
  const history = selected ? await listProgramScores(c.ctx, selected.id) : [];
  return render(c, "Scores", scoresView({
    board, selected, history, csrf: c.auth!.session.csrfToken, tz: c.ctx.config.NETWORK_TIMEZONE,
    state: { path: "/admin/scores", params: c.url.searchParams, sort: sort ?? undefined, dir: dir === 1 ? "asc" : "desc" }, ...extra,
  }), status);
}

async function saveScores(c: ConsoleRequest) {
  requireAdmin(c.auth!.actor);
  const form = c.form ?? new URLSearchParams();
  const scores: Record<string, string> = {};
  for (const [k, v] of form) if (k.startsWith("score_")) scores[k.slice(6)] = v.trim();
  const note = (form.get("note") ?? "").trim();
  try {
    const r = await putScores(c.ctx, c.auth!.actor, c.params.id!, { scores, ...(note ? { note } : {}) });
    return redirect(c, `/admin/scores?program=${c.params.id}#score-form`, [flashCookie("ok", `Saved: total ${r.total} (${r.eligible ? "eligible for smart links" : "below the threshold"}).`)]);
  } catch (e) {
    if (!(e instanceof AppError) || e.status === 404 || e.status >= 500) throw e;
    return scoresPage(c, { values: Object.fromEntries(form), errors: e.fields ?? {}, error: e.fields ? null : e.message }, e.status, c.params.id!);
  }
}

const LINK_LIST: ListSpec<SmartLinkItem> = {
  sorts: { code: (l) => l.code.toLowerCase(), publisher: (l) => l.publisher_name ?? "", clicks: (l) => l.clicks, conversions: (l) => l.conversions, created: (l) => l.createdAt },
  defaultSort: "created", defaultDir: "desc", date: (l) => l.createdAt,
};

async function linkList(c: ConsoleRequest) {
  const list = listPage(c, await listSmartLinksFor(c.ctx, c.auth!.actor), LINK_LIST);
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const csv = wantsCsv(c) ? csvResponse("smart-links.csv", ["code", "url", "match_page_url", "criteria", "publisher", "clicks", "conversions", `created (${tz})`],
    list.all.map((l) => [l.code, l.url, l.match_page_url, criteriaText(l.criteria), l.publisher_name, l.clicks, l.conversions, formatWhen(l.createdAt, tz)])) : null;
  const filters = filterBar({ path: c.url.pathname, csvHref: csvHref(c), controls: dateStatusControls(c.url.searchParams) });
  return { list, tz, csv, filters, pager: pager({ path: c.url.pathname, params: c.url.searchParams, nextCursor: list.nextCursor }) };
}

async function adminLinksPage(c: ConsoleRequest, extra: Partial<AdminSmartLinksView> = {}, status = 200) {
  requireAdmin(c.auth!.actor);
  const { list, tz, csv, filters, pager: pg } = await linkList(c);
  if (csv) return csv;
  const publishers = (await listPublishers(c.ctx)).filter((p) => p.status === "active").map((p) => ({ id: p.id, name: p.name }));
  return render(c, "Smart links", adminSmartLinksView({ rows: list.rows, total: list.all.length, state: list.state, tz, csrf: c.auth!.session.csrfToken, filters, pager: pg, publishers, ...extra }), status);
}

/** "category: tents\ncountries: US, CA" -> {category: ["tents"], countries: ["US", "CA"]}; a line without ":" is an error. */
function parseCriteria(text: string): { criteria: Record<string, string[]>; errors: string[] } {
  const criteria: Record<string, string[]> = {};
  const errors: string[] = [];
  for (const line of text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const i = line.indexOf(":");
    if (i <= 0) { errors.push(`"${line.slice(0, 60)}" is not "attribute: value"`); continue; }
    criteria[line.slice(0, i).trim()] = line.slice(i + 1).split(",").map((v) => v.trim()).filter(Boolean);
  }
  return { criteria, errors };
}

async function createLink(c: ConsoleRequest) {
  requireAdmin(c.auth!.actor);
  const form = c.form ?? new URLSearchParams();
  const values = Object.fromEntries(form);
  if (!form.has("match_page")) values.match_page = "off";
  const { criteria, errors } = parseCriteria(form.get("criteria") ?? "");
  const fail = (fields: FieldErrors, error: string | null = null) => adminLinksPage(c, { values, errors: fields, error }, 422);
  if (errors.length) return fail({ criteria: errors });
  const r = createSmartLinkBody.safeParse({ criteria, ...(form.get("publisher_id") ? { publisher_id: form.get("publisher_id") } : {}), ...(form.get("code") ? { code: form.get("code")!.trim() } : {}), match_page: form.has("match_page") });
  if (!r.success) {
    const f = zodFields(r.error);
    const out: FieldErrors = {};
    for (const [k, v] of Object.entries(f)) { const top = k.split(".")[0]!; out[top] = [...(out[top] ?? []), ...v.map((m) => (top === "criteria" && k !== "criteria" ? `${k.slice(9)}: ${m}` : m))]; }
    return fail(out);
  }
  try {
    const link = await createSmartLink(c.ctx, c.auth!.actor, r.data);
    return redirect(c, "/admin/smart-links", [flashCookie("ok", `Smart link ${link.code} created: ${link.url}`)]);
  } catch (e) {
    if (!(e instanceof AppError) || e.status >= 500) throw e;
    return e.status === 409 ? fail({ code: [e.message] }) : fail(e.fields ?? {}, e.fields ? null : e.message);
  }
}

/** Smart links (SPEC §6b): the admin's rubric, scores and links; a publisher's own links. */
export const smartLinkConsoleRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/rubric", access: ["admin"], handler: (c) => rubricPage(c) },
  { method: "POST", path: "/admin/rubric", access: ["admin"], handler: publishRubric },
  { method: "GET", path: "/admin/scores", access: ["admin"], handler: (c) => scoresPage(c) },
  { method: "POST", path: "/admin/scores/{id}", access: ["admin"], handler: saveScores },
  { method: "GET", path: "/admin/smart-links", access: ["admin"], handler: (c) => adminLinksPage(c) },
  { method: "POST", path: "/admin/smart-links", access: ["admin"], handler: createLink },
  { method: "GET", path: "/dashboard/publisher/smart-links", access: ["publisher"], handler: async (c) => {
    const { list, tz, csv, filters, pager: pg } = await linkList(c);
    if (csv) return csv;
    return render(c, "Smart links", html`<div class="page-head"><h1>Smart links</h1><p class="muted">Links that send each visitor to the best-fitting program (by the network's public <a href="/rubric">rubric</a>, never by payout), crediting you. Ask the network for a new one.</p></div>
<section class="panel"><h2>Your smart links <span class="count">${list.all.length}</span></h2>${filters}
${smartLinkTable({ rows: list.rows, state: list.state, tz, showPublisher: false, empty: "The network has not made a smart link for you yet. Ask it for one that matches your audience (category, country, device)." })}${pg}</section>`);
  } },
];
