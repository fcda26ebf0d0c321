import { timingSafeEqual } from "node:crypto";
import type { Elysia } from "elysia";
import type { AppContext } from "../context";
import { logRequest } from "./log";
import { metrics, type RouteStats } from "./metrics";
import { checkReady } from "./readiness";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
}

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const q = url.indexOf("?", start);
  return start < 0 ? "/" : url.slice(start, q < 0 ? undefined : q);
}

/** Per-request cost: one performance.now() at start, an array slot and a few adds at the end. */
function timed<A extends unknown[]>(stats: RouteStats, handler: (req: Request, ...rest: A) => Response | Promise<Response>) {
  const done = (req: Request, res: Response, t0: number) => {
    const ms = performance.now() - t0;
    stats.observe(res.status, ms / 1000);
    logRequest(stats.method, stats.route, pathOf(req.url), res.status, ms);
    return res;
  };
  return (req: Request, ...rest: A): Response | Promise<Response> => {
    const t0 = performance.now();
    const r = handler(req, ...rest);
    return r instanceof Promise ? r.then((res) => done(req, res, t0)) : done(req, r, t0);
  };
}

/**
 * Wraps the Bun routes answered before the framework (the /go hot path):
 * each method + pattern gets its stats object once, here, not per request;
 * the route label is the pattern, never the slug.
 */
export function instrumentBunRoutes<H extends (req: Request & { params: Record<string, string> }, server: never) => Response | Promise<Response>>(
  routes: Record<string, Record<string, H>>,
): Record<string, Record<string, H>> {
  const out: Record<string, Record<string, H>> = {};
  for (const [pattern, methods] of Object.entries(routes)) {
    out[pattern] = {};
    for (const [method, handler] of Object.entries(methods)) out[pattern]![method] = timed(metrics.route(method, pattern), handler as never) as unknown as H;
  }
  return out;
}

/** Metrics read at scrape time from their owners: nothing is added to the click path. */
function registerSampled(ctx: AppContext): void {
  const one = (value: number) => [{ labels: {}, value }];
  metrics.sample({ name: "lastclick_clicks_accepted_total", help: "Clicks accepted into the write buffer.", type: "counter", read: () => one(ctx.clicks.accepted) });
  metrics.sample({ name: "lastclick_clicks_written_total", help: "Clicks committed to the database.", type: "counter", read: () => one(ctx.clicks.stored) });
  metrics.sample({ name: "lastclick_clicks_buffered", help: "Clicks accepted and not yet written.", type: "gauge", read: () => one(ctx.clicks.size) });
  metrics.sample({ name: "lastclick_click_write_failures_total", help: "Click batch writes that failed (the batch is retried, never dropped).", type: "counter", read: () => one(ctx.clicks.failures) });
  metrics.sample({ name: "lastclick_write_commits_total", help: "Group commits of the money path (conversions, transitions, inbox rows).", type: "counter", read: () => one(ctx.writes.stats.commits) });
  metrics.sample({
    name: "lastclick_write_units_total", help: "Writes those commits carried, by how they were written: several postbacks as one statement per table (set) or statement by statement (plain).", type: "counter",
    read: () => [{ labels: { written: "set" }, value: ctx.writes.stats.setUnits }, { labels: { written: "plain" }, value: ctx.writes.stats.units - ctx.writes.stats.setUnits }],
  });
  metrics.sample({
    name: "lastclick_outbox_depth", help: "Publisher postback deliveries waiting in the outbox, by status.", type: "gauge",
    read: async () => {
      const rs = await ctx.client.execute(`SELECT status, count(*) FROM outbox WHERE status = 'pending' GROUP BY status`).catch(() => null);
      return [{ labels: { status: "pending" }, value: rs?.rows[0] ? Number(rs.rows[0][1]) : 0 }];
    },
  });
}

function bearerMatches(header: string | null, token: string): boolean {
  const got = Buffer.from(header?.startsWith("Bearer ") ? header.slice(7) : "");
  const want = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * /readyz (database reachable, migrations applied), /metrics (Prometheus),
 * and request metrics + one log line per request for every route of the app
 * (served through `app.handle`, which this wraps).
 */
export function mountOps(app: Elysia, ctx: AppContext): void {
  registerSampled(ctx);
  // The route pattern, as the router matched it (no hook runs for an unmatched path: "unmatched").
  const routeOf = new WeakMap<Request, string>();
  app.onTransform((c) => { routeOf.set(c.request, (c as { route?: string }).route || "unmatched"); });
  // Timing and status from the outside: the real Response, whatever path (error, not found) produced it.
  const inner = app.handle.bind(app);
  app.handle = async (request: Request) => {
    const t0 = performance.now();
    const res = await inner(request);
    const ms = performance.now() - t0;
    const route = routeOf.get(request) ?? "unmatched";
    // Methods come from the client: only the standard ones become labels.
    metrics.route(METHODS.has(request.method) ? request.method : "OTHER", route).observe(res.status, ms / 1000);
    logRequest(request.method, route, pathOf(request.url), res.status, ms);
    return res;
  };
  app.get("/readyz", async () => {
    const r = await checkReady(ctx.client);
    return json(r.ok ? 200 : 503, r.ok ? { ok: true, migration: r.migration } : { ok: false, reason: r.reason });
  });
  app.get("/metrics", async ({ request }) => {
    if (ctx.config.METRICS_TOKEN && !bearerMatches(request.headers.get("authorization"), ctx.config.METRICS_TOKEN)) {
      return json(401, { error: { code: "unauthorized", message: "Missing or invalid credentials" } });
    }
    return new Response(await metrics.expose(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" } });
  });
}
