import { Elysia } from "elysia";
import css from "../public/app.css" with { type: "text" };
import { homePage } from "../views/public/home";
import { adminRoutes } from "./api/admin-routes";
import { brandRoutes } from "./api/brand-routes";
import { outboundRoutes } from "./api/outbound-routes";
import { integrationRoutes } from "./api/integration-routes";
import { referrerRoutes } from "./api/referrer-routes";
import { settlementRoutes } from "./api/settlement-routes";
import { mountWebhookRoutes } from "./integrations/routes";
import { mountReferrerLedgerPage } from "./ledger/public-routes";
import { mountApiRoutes } from "./api/mount";
import { buildOpenApi } from "./api/openapi";
import type { AppContext } from "./context";
import { AppError, errorBody, NotFound } from "./shared/errors";
import { mountTrackingRoutes } from "./tracking/routes";

export const apiRoutes = [...brandRoutes, ...adminRoutes, ...referrerRoutes, ...integrationRoutes, ...outboundRoutes, ...settlementRoutes];

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

/** The whole HTTP surface without listen(): tests call app.handle(request). */
export function buildApp(ctx: AppContext) {
  const app = new Elysia({ aot: true });
  app.onError(({ error, code, request }) => {
    if (error instanceof AppError) return json(error.status, errorBody(error));
    if (code === "NOT_FOUND") {
      const nf = new NotFound(`No route for ${request.method} ${new URL(request.url).pathname}`);
      return json(404, errorBody(nf));
    }
    console.error("unhandled error", error);
    return json(500, { error: { code: "internal", message: "Internal error; it has been logged" } });
  });

  mountTrackingRoutes(app as unknown as Elysia, ctx);
  mountApiRoutes(app as unknown as Elysia, ctx, apiRoutes);
  mountReferrerLedgerPage(app as unknown as Elysia, ctx);
  mountWebhookRoutes(app as unknown as Elysia, ctx);

  let openapi: string | null = null; // built on first request: PUBLIC_URL may follow the bound port
  app.get("/api/openapi.json", () => new Response(openapi ??= JSON.stringify(buildOpenApi(apiRoutes, ctx.config.PUBLIC_URL)), { headers: { "content-type": "application/json; charset=utf-8" } }));
  app.get("/healthz", () => json(200, { ok: true, buffered_clicks: ctx.clicks.size }));
  app.get("/public/app.css", () => new Response(css, { headers: { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=3600" } }));
  app.get("/", () => new Response(homePage(ctx.config.PUBLIC_URL), { headers: { "content-type": "text/html; charset=utf-8" } }));
  return app;
}
export type App = ReturnType<typeof buildApp>;
