import type { Elysia } from "elysia";
import { authenticateAdmin, authenticateBrand, SYSTEM, type Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { BadRequest } from "../shared/errors";
import { parseJson, readRawBody, validate } from "./body";
import type { ApiRoute } from "./route";

async function actorFor(ctx: AppContext, route: ApiRoute, request: Request): Promise<Actor> {
  const header = request.headers.get("authorization");
  if (route.auth === "admin") return authenticateAdmin(ctx.db, header);
  if (route.auth === "brand") return authenticateBrand(ctx.db, header);
  return SYSTEM;
}

function queryObject(url: string): Record<string, string> {
  const out: Record<string, string> = {};
  const q = url.indexOf("?");
  if (q < 0) return out;
  for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
    if (k in out) throw new BadRequest(`Query parameter "${k}" given twice`);
    out[k] = v;
  }
  return out;
}

/**
 * Mounts API routes: authenticate first (so a stranger learns nothing from
 * validation messages), then read the capped raw body, validate with zod,
 * call the handler. Errors are thrown and mapped once in app.ts.
 */
export function mountApiRoutes(app: Elysia, ctx: AppContext, routes: ApiRoute[]): void {
  for (const r of routes) {
    const path = r.path.replace(/\{(\w+)\}/g, ":$1");
    const handler = async ({ request, params, set }: { request: Request; params: Record<string, string>; set: { status?: number | string } }) => {
      const actor = await actorFor(ctx, r, request);
      let body: unknown = undefined;
      if (r.body) body = validate(r.body, parseJson(await readRawBody(request, ctx.config.MAX_BODY_BYTES)));
      const query = r.query ? validate(r.query, queryObject(request.url), "query") : {};
      const result = await r.handler({ ctx, actor, params, body, query, request });
      if (r.status) set.status = r.status;
      return result;
    };
    app.route(r.method.toUpperCase(), path, handler as never, { parse: "none" } as never);
  }
}
