import { Elysia } from "elysia";
import css from "../public/app.css" with { type: "text" };
import htmxCore from "htmx.org/dist/htmx.min.js" with { type: "text" };
import htmxSse from "htmx.org/dist/ext/hx-sse.min.js" with { type: "text" };
import liveJs from "../public/live.js" with { type: "text" };
import { homePage } from "../views/public/home";
import { errorPageView } from "../views/public/error";
import { adminRoutes } from "./api/admin-routes";
import { brandRoutes } from "./api/brand-routes";
import { outboundRoutes } from "./api/outbound-routes";
import { integrationRoutes } from "./api/integration-routes";
import { referrerRoutes } from "./api/referrer-routes";
import { tokenRoutes } from "./api/token-routes";
import { userRoutes } from "./api/user-routes";
import { consoleRoutes } from "./console/routes";
import { mountConsoleRoutes } from "./console/http";
import { liveStreamsOf } from "./console/live";
import { settlementRoutes } from "./api/settlement-routes";
import { mountWebhookRoutes } from "./integrations/routes";
import { mountReferrerLedgerPage } from "./ledger/public-routes";
import { mountApiRoutes } from "./api/mount";
import { buildOpenApi } from "./api/openapi";
import { ClientDisconnected } from "./api/body";
import type { AppContext } from "./context";
import { AppError, errorBody, NotFound } from "./shared/errors";
import { pathOf, routable } from "./shared/request-target";
import { peerAddress, rememberPeer } from "./tracking/peer";
import { mountTrackingRoutes } from "./tracking/routes";
import { mountSmartLinkRoutes } from "./smartlinks/routes";
import { smartLinkRoutes } from "./api/smartlink-routes";
import { mountOps } from "./ops/http";
import { logError } from "./ops/log";
import { getNetworkSettings } from "./settings/network-settings";

/** htmx and its SSE extension, embedded (the binary carries them; no CDN). */
const htmx = `${htmxCore}
;${htmxSse}
`;

export const apiRoutes = [...brandRoutes, ...adminRoutes, ...userRoutes, ...referrerRoutes, ...integrationRoutes, ...outboundRoutes, ...tokenRoutes, ...smartLinkRoutes, ...settlementRoutes];

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

/** A person's browser navigating (not the API, not an htmx swap): it gets a page, not JSON. */
function wantsPage(request: Request): boolean {
  return (request.headers.get("accept") ?? "").includes("text/html") && !pathOf(request.url).startsWith("/api/") && request.headers.get("hx-request") !== "true";
}

/** The referring page when it is on this site, as a path (a way back from an error page). */
function sameSiteReferrer(request: Request): string | null {
  try {
    const ref = new URL(request.headers.get("referer") ?? "");
    return ref.host === new URL(request.url).host ? ref.pathname + ref.search : null;
  } catch {
    return null;
  }
}

/** The error as a styled page for a browser: 404 and 500 in words, with a way back. */
function errorPage(status: number, body: ErrorBody, request: Request, networkName: string | undefined): Response {
  const notFound = status === 404;
  const page = errorPageView({
    status, id: body.error.id, back: sameSiteReferrer(request), networkName,
    title: notFound ? "Page not found" : status >= 500 ? "Something went wrong" : status === 410 ? "Link no longer valid" : "Request refused",
    message: notFound && body.error.message.startsWith("No route") ? "There is no page at this address. Check the link, or go back to where you came from."
      : status >= 500 ? "The server could not finish this request; nothing was changed by it. Try again in a moment, and if it keeps happening, send the reference below to your network administrator."
      : body.error.message,
  });
  return new Response(page, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

type ErrorBody = { error: { code: string; message: string; id?: string } };

async function errorResponse(ctx: AppContext, error: unknown, code: unknown, request: Request): Promise<Response> {
  const [status, body] = errorOf(error, code, request);
  if (!wantsPage(request)) return json(status, body);
  // Under the network's name, like every other page; a failing database (often the 500 itself) leaves it out.
  const networkName = status >= 500 ? undefined : await getNetworkSettings(ctx).then((s) => s.networkName, () => undefined);
  return errorPage(status, body, request, networkName);
}

function errorOf(error: unknown, code: unknown, request: Request): [number, ErrorBody] {
  if (error instanceof AppError) return [error.status, errorBody(error) as ErrorBody];
  if (error instanceof ClientDisconnected) {
    console.warn(error.message);
    return [400, { error: { code: "client_disconnected", message: "The request body was not received in full" } }];
  }
  if (code === "NOT_FOUND") {
    const nf = new NotFound(`No route for ${request.method} ${pathOf(request.url)}`);
    return [404, errorBody(nf) as ErrorBody];
  }
  // One log line with an id; the answer carries the same id so a report can be matched to it.
  const id = logError("unhandled error", error, { method: request.method, path: pathOf(request.url) });
  return [500, { error: { code: "internal", message: `Internal error; it has been logged with id ${id}`, id } }];
}

/**
 * The whole HTTP surface without listen(). Every entry point (Bun.serve in
 * main.ts, Deno, tests) calls app.handle(request), which routes on the path
 * alone whatever the Host header says (see shared/request-target.ts).
 */
export function buildApp(ctx: AppContext) {
  const app = new Elysia({ aot: true });
  app.onError(async ({ error, code, request, set }) => {
    const res = await errorResponse(ctx, error, code, request);
    set.status = res.status; // what the request metrics and log line report
    return res;
  });
  mountOps(app as unknown as Elysia, ctx);

  mountTrackingRoutes(app as unknown as Elysia, ctx);
  mountSmartLinkRoutes(app as unknown as Elysia, ctx);
  mountApiRoutes(app as unknown as Elysia, ctx, apiRoutes);
  mountReferrerLedgerPage(app as unknown as Elysia, ctx);
  mountWebhookRoutes(app as unknown as Elysia, ctx);
  ctx.live ??= liveStreamsOf(); // closed first when the appliance stops (lifecycle.ts)
  mountConsoleRoutes(app as unknown as Elysia, ctx, consoleRoutes);

  let openapi: string | null = null; // built on first request: PUBLIC_URL may follow the bound port
  app.get("/api/openapi.json", () => new Response(openapi ??= JSON.stringify(buildOpenApi(apiRoutes, ctx.config.PUBLIC_URL)), { headers: { "content-type": "application/json; charset=utf-8" } }));
  app.get("/healthz", () => json(200, { ok: true, buffered_clicks: ctx.clicks.size }));
  app.get("/public/app.css", () => new Response(css, { headers: { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=3600" } }));
  app.get("/public/htmx.js", () => new Response(htmx, { headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" } }));
  app.get("/public/live.js", () => new Response(liveJs, { headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" } }));
  app.get("/", () => new Response(homePage(ctx.config.PUBLIC_URL), { headers: { "content-type": "text/html; charset=utf-8" } }));

  const handle = app.handle;
  const keepPeer = (from: Request) => (copy: Request) => {
    const peer = peerAddress(from, app.server);
    if (peer) rememberPeer(copy, peer);
  };
  app.handle = (request: Request) => handle(routable(request, keepPeer(request)));
  return app;
}
export type App = ReturnType<typeof buildApp>;
