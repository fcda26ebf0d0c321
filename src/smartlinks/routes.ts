import type { Elysia } from "elysia";
import { rubricBadDatePage, rubricPage } from "../../views/public/rubric";
import { matchPage, smartLinkNotFoundPage, smartNoMatchPage, smartNotEligiblePage } from "../../views/public/smart-match";
import type { AppContext } from "../context";
import { formatMinor } from "../shared/money";
import { clientIp } from "../tracking/client-ip";
import { countryFromHeader } from "../tracking/geo";
import { peerAddress } from "../tracking/peer";
import { recordClick } from "../tracking/record-click";
import { clickRequest, htmlPage } from "../tracking/routes";
import { zonedDayEnd } from "../shared/zoned-time";
import { loadBoard } from "./board";
import { programsAsOf } from "./programs-as-of";
import { deviceOf } from "./device";
import { formatHundredths } from "./points";
import { publicBoard } from "./public-board";
import type { Visitor } from "./rank";
import type { LinkEntry } from "./router";
import { CODE_RE } from "./create-smart-link";

type Server = { requestIP(r: Request): { address: string } | null };
type Answer = Response | Promise<Response>;

/** Country (trusted edge header, else the offline lookup) and device class of the visitor. */
function visitorOf(ctx: AppContext, request: Request, peerIp: string | null): Visitor {
  const header = ctx.config.COUNTRY_HEADER ? countryFromHeader(request.headers.get(ctx.config.COUNTRY_HEADER)) : null;
  const country = header ?? ctx.geo.country(clientIp(peerIp, request.headers.get("x-forwarded-for"), ctx.trustedProxies));
  return { country, device: deviceOf(request.headers.get("user-agent")) };
}

/** `?to=<program id>` from a match page: the reader's own pick among the eligible programs. */
function pickedProgram(url: string): string | null {
  const q = url.indexOf("?");
  return q < 0 || !url.includes("to=", q) ? null : new URLSearchParams(url.slice(q + 1)).get("to");
}

/**
 * /go/m/{code}: the best-fitting eligible program for this visitor (or the
 * reader's pick from the match page), recorded by the same recordClick as
 * /go/{slug} with the routing decision on the click. Nothing eligible: a
 * page that says so, no click, no fallback.
 */
function smartClick(ctx: AppContext, entry: LinkEntry | null, request: Request, peerIp: string | null, now: number): Answer {
  if (!entry) return htmlPage(404, smartLinkNotFoundPage());
  const choices = entry.choose(visitorOf(ctx, request, peerIp));
  const picked = pickedProgram(request.url);
  const choice = picked === null ? choices[0] : choices.find((c) => c.program.id === picked);
  if (!choice) return htmlPage(404, picked === null ? smartNoMatchPage() : smartNotEligiblePage());
  return recordClick(ctx, choice.program.link, clickRequest(request, peerIp, now), { via: "smart", route: choice.route });
}

function go(ctx: AppContext, request: Request, code: string, peerIp: string | null): Answer {
  if (!CODE_RE.test(code)) return htmlPage(404, smartLinkNotFoundPage());
  const now = ctx.clock.now();
  const cached = ctx.smart.peek(code, now);
  if (cached !== undefined) return smartClick(ctx, cached, request, peerIp, now);
  return ctx.smart.byCode(code, now).then((entry) => smartClick(ctx, entry, request, peerIp, now));
}

async function match(ctx: AppContext, request: Request, code: string, peerIp: string | null): Promise<Response> {
  const entry = CODE_RE.test(code) ? await ctx.smart.byCode(code, ctx.clock.now()) : null;
  if (!entry || !entry.link.matchPage) return htmlPage(404, smartLinkNotFoundPage());
  const visitor = visitorOf(ctx, request, peerIp);
  const flat = entry.rubric?.flatCommission;
  return htmlPage(200, matchPage({
    code, criteria: entry.link.criteria, visitor,
    threshold: entry.rubric ? formatHundredths(entry.rubric.thresholdHundredths) : null,
    flatCommission: flat ? `${formatMinor(flat.minor, flat.currency)} ${flat.currency}` : null,
    matches: entry.choose(visitor).map((c) => ({
      id: c.program.id, name: c.program.name, brand: c.program.brandName, score: formatHundredths(c.score), fit: c.fit,
      attributes: c.program.attributes, href: `/go/m/${encodeURIComponent(code)}?to=${encodeURIComponent(c.program.id)}`,
    })),
  }));
}

/** GET /rubric and /rubric.json, optionally `?as_of=YYYY-MM-DD` (the board at the end of that day in NETWORK_TIMEZONE). */
async function rubric(ctx: AppContext, request: Request, format: "html" | "json"): Promise<Response> {
  const asOf = new URL(request.url).searchParams.get("as_of") || null;
  const tz = ctx.config.NETWORK_TIMEZONE;
  const now = ctx.clock.now();
  const end = asOf === null ? now : zonedDayEnd(asOf, tz);
  if (end === null) {
    const message = `as_of must be a date like 2026-11-15, not "${asOf}"`;
    return format === "json"
      ? Response.json({ error: { code: "bad_request", message, fields: { as_of: [message] } } }, { status: 400 })
      : htmlPage(400, rubricBadDatePage(message));
  }
  const board = await loadBoard(ctx, Math.min(end, now)); // a day not over yet: as it stands now
  const shown = publicBoard(asOf === null ? board : await programsAsOf(ctx, board), asOf, tz);
  const headers = { "cache-control": "public, max-age=60" };
  if (format === "json") return Response.json(shown, { headers });
  return new Response(rubricPage(shown), { headers: { ...headers, "content-type": "text/html; charset=utf-8" } });
}

type Ctx = { request: Request; params: Record<string, string>; server: Server | null };

/** Public smart-link surface: /go/m/{code}, /m/{code}, /rubric, /rubric.json (SPEC §6b). */
export function mountSmartLinkRoutes(app: Elysia, ctx: AppContext): void {
  const peer = (c: Ctx) => peerAddress(c.request, c.server);
  const goRoute = (c: Ctx) => go(ctx, c.request, c.params.code!, peer(c));
  for (const method of ["GET", "HEAD"]) app.route(method, "/go/m/:code", goRoute as never, { parse: "none" } as never);
  app.get("/m/:code", ((c: Ctx) => match(ctx, c.request, c.params.code!, peer(c))) as never);
  app.get("/rubric", ((c: Ctx) => rubric(ctx, c.request, "html")) as never);
  app.get("/rubric.json", ((c: Ctx) => rubric(ctx, c.request, "json")) as never);
}

type BunRoute = (request: Request & { params: Record<string, string> }, server: Server) => Answer;

/** /go/m/{code} as a Bun.serve route (main.ts), answered before Elysia like /go/{slug}. */
export function smartLinkBunRoutes(ctx: AppContext): Record<string, Record<"GET" | "HEAD", BunRoute>> {
  const route: BunRoute = (req, server) => go(ctx, req, req.params.code!, server.requestIP(req)?.address ?? null);
  return { "/go/m/:code": { GET: route, HEAD: route } };
}
