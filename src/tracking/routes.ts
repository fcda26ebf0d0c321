import type { Elysia } from "elysia";
import { linkBrokenPage, linkInactivePage, linkNotFoundPage } from "../../views/public/link-status";
import type { AppContext } from "../context";
import type { ResolvedLink } from "./link-resolver";
import { peerAddress } from "./peer";
import { recordClick, type ClickRequest } from "./record-click";

const KEY_RE = /^[A-Za-z0-9_-]{1,64}$/;

type Server = { requestIP(r: Request): { address: string } | null };
type Ctx = { request: Request; params: Record<string, string>; server: Server | null };
type Answer = Response | Promise<Response>;

export function htmlPage(status: number, body: string): Response {
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

/** Read-only and shared: most tracking URLs carry no query at all. */
const NO_QUERY = new URLSearchParams();

export function clickRequest(request: Request, peerIp: string | null, now: number): ClickRequest {
  const url = request.url;
  const q = url.indexOf("?");
  return {
    method: request.method, headers: request.headers, query: q >= 0 ? new URLSearchParams(url.slice(q + 1)) : NO_QUERY,
    peerIp, now,
  };
}

/** Unknown -> 404 page, inactive -> 410 page, unusable destination -> 502 page; never a redirect to anywhere else. */
function refuse(link: ResolvedLink | null): Response | null {
  if (!link) return htmlPage(404, linkNotFoundPage());
  if (link.inactive === "destination_invalid") return htmlPage(502, linkBrokenPage());
  if (link.inactive) return htmlPage(410, linkInactivePage(link.inactive));
  return null;
}

/**
 * The two tracking handlers, free of any framework: key as routed, socket
 * peer address. A cached link answers without a single await.
 */
function trackingHandlers(ctx: AppContext) {
  const linkClick = (link: ResolvedLink | null, request: Request, peerIp: string | null, now: number): Answer =>
    refuse(link) ?? recordClick(ctx, link!, clickRequest(request, peerIp, now));
  const vendorClick = (key: string, link: ResolvedLink | null, request: Request, peerIp: string | null, now: number): Answer => {
    const refused = refuse(link);
    if (refused) return refused;
    const req = clickRequest(request, peerIp, now);
    const submission = req.query.get("s")?.slice(0, 200) || null;
    const forced: [string, string][] = [["utm_source", "lastclick"], ["utm_medium", "affiliate"], ["utm_campaign", key]];
    if (submission) forced.push(["utm_content", submission]);
    return recordClick(ctx, link!, req, { via: "vendor", forcedParams: forced });
  };
  return {
    go(request: Request, slug: string, peerIp: string | null): Answer {
      if (!KEY_RE.test(slug)) return htmlPage(404, linkNotFoundPage());
      const now = ctx.clock.now();
      const cached = ctx.links.peekSlug(slug, now);
      if (cached !== undefined) return linkClick(cached, request, peerIp, now);
      return ctx.links.bySlug(slug, now).then((link) => linkClick(link, request, peerIp, now));
    },
    vendor(request: Request, key: string, peerIp: string | null): Answer {
      if (!KEY_RE.test(key)) return htmlPage(404, linkNotFoundPage());
      const now = ctx.clock.now();
      return ctx.links.byVendorKey(key, now).then((link) => vendorClick(key, link, request, peerIp, now));
    },
  };
}

/** Tracking links /go/{slug} and vendor links /api/v/{vendor}?s={submission} (SPEC §3). */
export function mountTrackingRoutes(app: Elysia, ctx: AppContext): void {
  const track = trackingHandlers(ctx);
  const peer = (c: Ctx) => peerAddress(c.request, c.server);
  const go = (c: Ctx) => track.go(c.request, c.params.slug!, peer(c));
  const vendor = (c: Ctx) => track.vendor(c.request, c.params.vendor!, peer(c));
  for (const method of ["GET", "HEAD"]) {
    app.route(method, "/go/:slug", go as never, { parse: "none" } as never);
    app.route(method, "/api/v/:vendor", vendor as never, { parse: "none" } as never);
  }
}

type BunRoute = (request: Request & { params: Record<string, string> }, server: Server) => Answer;

/**
 * The same two routes as Bun.serve `routes` entries (main.ts), answered
 * before the request reaches Elysia: the redirect is the hot path and the
 * framework's context, hooks and response mapping were most of its cost.
 * Paths these do not match (trailing slash, other methods) still go through
 * the app and get the same answers from the routes mounted above.
 */
export function trackingBunRoutes(ctx: AppContext): Record<string, Record<"GET" | "HEAD", BunRoute>> {
  const track = trackingHandlers(ctx);
  const go: BunRoute = (req, server) => track.go(req, req.params.slug!, server.requestIP(req)?.address ?? null);
  const vendor: BunRoute = (req, server) => track.vendor(req, req.params.vendor!, server.requestIP(req)?.address ?? null);
  return { "/go/:slug": { GET: go, HEAD: go }, "/api/v/:vendor": { GET: vendor, HEAD: vendor } };
}
