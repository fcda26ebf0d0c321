import type { Elysia } from "elysia";
import { readRawBody } from "../api/body";
import type { Actor } from "../auth/authenticate";
import { csrfValid, STATE_CHANGING } from "../auth/csrf";
import { cookieToken, readSession, type SessionRow, type UserRow } from "../auth/sessions";
import type { AppContext } from "../context";
import { AppError } from "../shared/errors";
import { getNetworkSettings, type NetworkSettings } from "../settings/network-settings";
import { clientIp } from "../tracking/client-ip";
import { peerAddress, type PeerServer } from "../tracking/peer";
import { errorPage } from "./pages";
import type { Role } from "./nav";

/** A signed-in console user and the actor its domain calls run as. */
export interface ConsoleAuth { user: UserRow; session: SessionRow; token: string; actor: Actor }

export interface ConsoleRequest {
  ctx: AppContext;
  request: Request;
  url: URL;
  params: Record<string, string>;
  /** The urlencoded form of a POST (size-capped), else null; a multipart POST's text fields land here too. */
  form: URLSearchParams | null;
  /** The files of a multipart/form-data POST (uploads), by field name. */
  files?: Record<string, File>;
  auth: ConsoleAuth | null;
  /** An htmx request: answer with the fragment, not the whole page. */
  fragment: boolean;
  ip: string | null;
  flash: { kind: "ok" | "error"; text: string } | null;
  network: NetworkSettings;
}

/**
 * One console route. `access`: "public" (a session is read if present) or
 * the roles allowed. Pending users (self-signup awaiting approval) only reach
 * routes marked `allowPending`; everyone else of theirs shows the pending page.
 */
export interface ConsoleRoute {
  method: "GET" | "POST";
  path: string;
  access: "public" | Role[];
  allowPending?: boolean;
  handler(c: ConsoleRequest): Promise<Response> | Response;
}

export function actorOf(user: UserRow): Actor {
  if (user.role === "admin") return { type: "admin", id: user.id, via: "session" };
  if (user.role === "brand") return { type: "brand", id: user.id, brandId: user.brandId!, mode: "live", via: "session" };
  return { type: "publisher", id: user.id, publisherId: user.publisherId!, via: "session" };
}

export const FLASH_COOKIE = "lc_flash";
function readFlash(request: Request): ConsoleRequest["flash"] {
  const m = /(?:^|;\s*)lc_flash=([A-Za-z0-9_-]{1,800})/.exec(request.headers.get("cookie") ?? "");
  if (!m) return null;
  try {
    const v = JSON.parse(Buffer.from(m[1]!, "base64url").toString());
    return (v.kind === "ok" || v.kind === "error") && typeof v.text === "string" ? { kind: v.kind, text: v.text.slice(0, 300) } : null;
  } catch {
    return null;
  }
}
export function flashCookie(kind: "ok" | "error", text: string): string {
  return `${FLASH_COOKIE}=${Buffer.from(JSON.stringify({ kind, text })).toString("base64url")}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60`;
}

export function htmlResponse(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers } });
}

/** 303 after a POST (the browser GETs the target); htmx follows HX-Redirect instead. */
export function redirect(c: { fragment: boolean }, location: string, cookies: string[] = []): Response {
  const headers = new Headers({ "cache-control": "no-store" });
  for (const k of cookies) headers.append("set-cookie", k);
  if (c.fragment) { headers.set("hx-redirect", location); return new Response(null, { status: 204, headers }); }
  headers.set("location", location);
  return new Response(null, { status: 303, headers });
}

/** A state-changing request from another site is refused outright (login CSRF included). */
function foreignOrigin(ctx: AppContext, request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return origin === "null";
  try {
    const o = new URL(origin);
    return o.origin !== new URL(ctx.config.PUBLIC_URL).origin && o.host !== request.headers.get("host") && o.host !== new URL(request.url).host;
  } catch {
    return true;
  }
}

async function guard(r: ConsoleRoute, c: ConsoleRequest): Promise<Response | null> {
  if (r.access !== "public") {
    if (!c.auth) {
      const next = c.url.pathname + c.url.search;
      if (c.fragment) return htmlResponse(errorPage(c, 401, "Your session has ended", "Sign in again to continue."), 401, { "hx-redirect": `/login?next=${encodeURIComponent(next)}` });
      return new Response(null, { status: 302, headers: { location: `/login?next=${encodeURIComponent(next)}`, "cache-control": "no-store" } });
    }
    if (!r.access.includes(c.auth.user.role)) return htmlResponse(errorPage(c, 403, "Not allowed", "Your account cannot open this page."), 403);
    if (c.auth.user.status === "pending" && !r.allowPending) {
      return htmlResponse(errorPage(c, 403, "Your application is pending approval", "The network will review your application. You can sign in again later to check; nothing else is needed from you now."), 403);
    }
  }
  if (STATE_CHANGING.has(r.method)) {
    if (foreignOrigin(c.ctx, c.request)) return htmlResponse(errorPage(c, 403, "Request refused", "This form was sent from another site."), 403);
    if (c.auth && !csrfValid(c.auth.session.csrfToken, c.request, c.form)) {
      return htmlResponse(errorPage(c, 403, "Request refused", "The form's security token is missing or out of date. Reload the page and try again."), 403);
    }
  }
  return null;
}

/** Multipart uploads (report files) may be larger than a form: the same cap the upload API allows. */
const MULTIPART_FACTOR = 64;

async function readForm(c: ConsoleRequest): Promise<void> {
  const type = c.request.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    c.form = new URLSearchParams(new TextDecoder().decode(await readRawBody(c.request, c.ctx.config.MAX_BODY_BYTES)));
    return;
  }
  const raw = await readRawBody(c.request, c.ctx.config.MAX_BODY_BYTES * MULTIPART_FACTOR);
  let data: FormData;
  try {
    data = await new Response(raw as BodyInit, { headers: { "content-type": type } }).formData();
  } catch {
    data = new FormData();
  }
  c.form = new URLSearchParams();
  c.files = {};
  for (const [k, v] of data) {
    if (typeof v === "string") c.form.append(k, v);
    else c.files[k] = v;
  }
}

/** Mounts console routes: session -> guard (login redirect, role, pending, CSRF) -> handler; errors as pages. */
export function mountConsoleRoutes(app: Elysia, ctx: AppContext, routes: ConsoleRoute[]): void {
  for (const r of routes) {
    const path = r.path.replace(/\{(\w+)\}/g, ":$1");
    type C = { request: Request; params: Record<string, string>; server: PeerServer };
    const handler = async ({ request, params, server }: C) => {
      const token = cookieToken(request);
      const found = token ? await readSession(ctx, token) : null;
      const auth = found && token ? { ...found, token, actor: actorOf(found.user) } : null;
      const c: ConsoleRequest = {
        ctx, request, url: new URL(request.url), params, form: null, auth,
        fragment: request.headers.get("hx-request") === "true",
        ip: clientIp(peerAddress(request, server), request.headers.get("x-forwarded-for"), ctx.trustedProxies),
        flash: readFlash(request), network: await getNetworkSettings(ctx),
      };
      try {
        if (r.method === "POST") await readForm(c);
        const refused = await guard(r, c);
        if (refused) return refused;
        const res = await r.handler(c);
        if (c.flash && r.method === "GET") res.headers.append("set-cookie", `${FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
        return res;
      } catch (e) {
        if (e instanceof AppError) return htmlResponse(errorPage(c, e.status, e.status === 404 ? "Not found" : e.status === 410 ? "Link no longer valid" : "Request refused", e.message), e.status);
        throw e;
      }
    };
    app.route(r.method, path, handler as never, { parse: "none" } as never);
  }
}
