import type { Elysia } from "elysia";
import { authenticateAdmin, authenticateBrand, SYSTEM, type Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { attachDraft, InboxDraft, type Verdict } from "../integrations/inbox";
import { AppError, BadRequest } from "../shared/errors";
import { clientIp } from "../tracking/client-ip";
import { peerAddress, type PeerServer } from "../tracking/peer";
import { parseJson, readRawBody, validate } from "./body";
import { Answer, type ApiRoute } from "./route";

async function actorFor(ctx: AppContext, route: ApiRoute, request: Request): Promise<Actor> {
  const header = request.headers.get("authorization");
  if (route.auth === "admin") return authenticateAdmin(ctx.db, header, ctx.clock.now());
  if (route.auth === "brand") return authenticateBrand(ctx.db, header, ctx.caches.brandKeys, ctx.clock.now());
  return SYSTEM;
}

/** Collected in a Map: `?constructor=1` is a parameter like any other, not a member of Object. */
function queryObject(url: string): Record<string, string> {
  const out = new Map<string, string>();
  const q = url.indexOf("?");
  if (q < 0) return {};
  for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
    if (v === "") continue; // ?status=&since= from a form: not set
    if (out.has(k)) throw new BadRequest(`Query parameter "${k}" given twice`);
    out.set(k, v);
  }
  return Object.fromEntries(out);
}

/**
 * Intake endpoints keep every request in the inbox (raw body, redacted
 * headers, verdict and reason), including the ones that are rejected; one
 * that fails authentication only as an excerpt, sampled under a flood. The
 * inbox row of a new conversion commits in the conversion's own unit (the
 * handler passes inboxRowWithConversion). A source whose failed-authentication
 * bucket is empty is answered 429 when its key does not authenticate (the key
 * check itself is one cached point read, so a good key always gets through).
 */
async function withInbox<C extends { request: Request; server: PeerServer }>(
  ctx: AppContext, provider: string, c: C, run: (c: C, raw?: Uint8Array) => Promise<unknown>,
): Promise<unknown> {
  const url = new URL(c.request.url);
  const peerIp = peerAddress(c.request, c.server);
  const source = clientIp(peerIp, c.request.headers.get("x-forwarded-for"), ctx.trustedProxies) ?? "unknown";
  const now = ctx.clock.now();
  const retryAfter = ctx.intake.limiter.retryAfter(source, now);
  const request = { method: c.request.method, url, headers: c.request.headers, body: new Uint8Array(0) as Uint8Array, peerIp, clientIp: source };
  const draft = new InboxDraft(ctx, { provider, request });
  attachDraft(c.request, draft);
  const keep = async (verdict: Verdict, statusCode: number, reason: string, conversionId: string | null, authenticated = true) =>
    draft.finish({ integrationId: null, verdict, statusCode, reason, conversionId, authenticated });
  try {
    request.body = await readRawBody(c.request, ctx.config.MAX_BODY_BYTES);
    const answered = await run(c, request.body);
    const result = (answered instanceof Answer ? answered.body : answered) as { status?: string; conversion?: { id: string; attribution?: string } };
    const duplicate = result.status === "duplicate";
    await keep(duplicate ? "duplicate" : "accepted", 200, duplicate ? "order already on file" : `recorded (${result.conversion?.attribution ?? "ok"})`, result.conversion?.id ?? null);
    return answered;
  } catch (e) {
    if (e instanceof AppError) {
      const detail = e.fields ? `: ${Object.entries(e.fields).map(([k, v]) => `${k} ${v.join(", ")}`).join("; ")}` : "";
      // 401 (no key that works) and 413 (refused before the key was looked at) never authenticated.
      const refused = e.status === 401 || e.status === 413;
      if (refused) ctx.intake.limiter.spend(source, now);
      if (e.status === 401 && retryAfter > 0) {
        await keep("rejected", 429, `rate limited (${e.message})`, null, false);
        return Response.json({ error: { code: "rate_limited", message: `Too many failed requests from this address; retry after ${retryAfter} s` } },
          { status: 429, headers: { "retry-after": String(retryAfter) } });
      }
      await keep("rejected", e.status, `${e.message}${detail}`, null, !refused);
    }
    throw e;
  }
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/** The route's own success status, or the one its handler chose with answer(). */
function respond(r: ApiRoute, result: unknown): Response {
  if (result instanceof Response) return result;
  const [status, body] = result instanceof Answer ? [result.status, result.body] : [r.status ?? 200, result];
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: JSON_HEADERS });
}

/**
 * Mounts API routes: authenticate first (so a stranger learns nothing from
 * validation messages), then read the capped raw body, validate with zod,
 * call the handler. Errors are thrown and mapped once in app.ts.
 */
export function mountApiRoutes(app: Elysia, ctx: AppContext, routes: ApiRoute[]): void {
  for (const r of routes) {
    const path = r.path.replace(/\{(\w+)\}/g, ":$1");
    type C = { request: Request; params: Record<string, string>; server: PeerServer };
    const run = async ({ request, params }: C, raw?: Uint8Array) => {
      const actor = await actorFor(ctx, r, request);
      let body: unknown = undefined;
      if (r.body) body = validate(r.body, parseJson(raw ?? await readRawBody(request, ctx.config.MAX_BODY_BYTES)));
      const query = r.query ? validate(r.query, queryObject(request.url), "query") : {};
      return r.handler({ ctx, actor, params, body, query, request });
    };
    const handler = r.inbox
      ? async (c: C) => respond(r, await withInbox(ctx, r.inbox!, c, run))
      : async (c: C) => respond(r, await run(c));
    app.route(r.method.toUpperCase(), path, handler as never, { parse: "none" } as never);
  }
}
