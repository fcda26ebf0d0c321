import type { Elysia } from "elysia";
import { linkInactivePage, linkNotFoundPage } from "../../views/public/link-status";
import type { AppContext } from "../context";
import type { ResolvedLink } from "./link-resolver";
import { peerOf } from "./peer";
import { recordClick, type ClickRequest } from "./record-click";

const KEY_RE = /^[A-Za-z0-9_-]{1,64}$/;

type Ctx = { request: Request; params: Record<string, string>; server: { requestIP(r: Request): { address: string } | null } | null };

function htmlPage(status: number, body: string): Response {
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

function clickRequest(ctx: AppContext, c: Ctx): ClickRequest {
  const url = c.request.url;
  const q = url.indexOf("?");
  return {
    method: c.request.method, headers: c.request.headers, query: new URLSearchParams(q >= 0 ? url.slice(q + 1) : ""),
    peerIp: c.server?.requestIP(c.request)?.address ?? peerOf(c.request), now: ctx.clock.now(),
  };
}

/** Unknown -> 404 page, inactive -> 410 page; never a redirect to anywhere else. */
function refuse(link: ResolvedLink | null): Response | null {
  if (!link) return htmlPage(404, linkNotFoundPage());
  if (link.inactive) return htmlPage(410, linkInactivePage(link.inactive));
  return null;
}

/** Tracking links /go/{slug} and vendor links /api/v/{vendor}?s={submission} (SPEC §3). */
export function mountTrackingRoutes(app: Elysia, ctx: AppContext): void {
  const go = async (c: Ctx) => {
    const slug = c.params.slug!;
    if (!KEY_RE.test(slug)) return htmlPage(404, linkNotFoundPage());
    const link = await ctx.links.bySlug(slug, ctx.clock.now());
    return refuse(link) ?? recordClick(ctx, link!, clickRequest(ctx, c));
  };
  const vendor = async (c: Ctx) => {
    const key = c.params.vendor!;
    if (!KEY_RE.test(key)) return htmlPage(404, linkNotFoundPage());
    const link = await ctx.links.byVendorKey(key, ctx.clock.now());
    const refused = refuse(link);
    if (refused) return refused;
    const req = clickRequest(ctx, c);
    const submission = req.query.get("s")?.slice(0, 200) || null;
    const forced: [string, string][] = [["utm_source", "lastclick"], ["utm_medium", "affiliate"], ["utm_campaign", key]];
    if (submission) forced.push(["utm_content", submission]);
    return recordClick(ctx, link!, req, { via: "vendor", forcedParams: forced });
  };
  for (const method of ["GET", "HEAD"]) {
    app.route(method, "/go/:slug", go as never, { parse: "none" } as never);
    app.route(method, "/api/v/:vendor", vendor as never, { parse: "none" } as never);
  }
}
