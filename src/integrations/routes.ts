import type { Elysia } from "elysia";
import { readRawBody } from "../api/body";
import type { AppContext } from "../context";
import { AppError, errorBody } from "../shared/errors";
import { clientIp } from "../tracking/client-ip";
import { peerAddress, type PeerServer } from "../tracking/peer";
import { InboxDraft, recordInbox } from "./inbox";
import { receiveWebhook, type WebhookOutcome } from "./receive-webhook";
import { logError } from "../ops/log";

type Ctx = { request: Request; server: PeerServer };

/** Refused before any integration vouched for it: bad or missing credentials, or nothing to authenticate against. */
const unauthenticated = (o: WebhookOutcome) => o.verdict === "rejected" && o.integrationId === null && o.status < 500;

/**
 * /api/affiliate/webhook?provider=P[&i=ID] (GET and POST): every request,
 * accepted or not, lands in the inbox with its verdict and reason (a request
 * that fails authentication as an excerpt, sampled under a flood). A source
 * whose failed-authentication bucket is empty gets only bounded work and 429.
 */
export function mountWebhookRoutes(app: Elysia, ctx: AppContext): void {
  const handler = async (c: Ctx) => {
    const url = new URL(c.request.url);
    const peerIp = peerAddress(c.request, c.server);
    const source = clientIp(peerIp, c.request.headers.get("x-forwarded-for"), ctx.trustedProxies);
    const provider = url.searchParams.get("provider");
    const now = ctx.clock.now();
    const retryAfter = ctx.intake.limiter.retryAfter(source ?? "unknown", now);
    const request = { method: c.request.method, url, headers: c.request.headers, body: new Uint8Array(0) as Uint8Array, peerIp, clientIp: source };
    try {
      request.body = await readRawBody(c.request, ctx.config.MAX_BODY_BYTES);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      ctx.intake.limiter.spend(source ?? "unknown", now);
      await recordInbox(ctx, {
        provider: provider ?? "unknown", integrationId: null, request, authenticated: false,
        verdict: "rejected", statusCode: e.status, reason: `${e.message} (body not kept)`, conversionId: null,
      });
      return Response.json(errorBody(e), { status: e.status });
    }
    const draft = new InboxDraft(ctx, { provider: provider ?? "unknown", request });
    let outcome: WebhookOutcome;
    try {
      outcome = await receiveWebhook(ctx, {
        provider, integrationId: url.searchParams.get("i"), method: c.request.method, headers: c.request.headers,
        query: url.searchParams, body: request.body, peerIp, limited: retryAfter > 0, inbox: draft,
        source: ctx.intake.limiter.keyOf(source ?? "unknown"),
      });
    } catch (e) {
      // Keep the request even when we fail: it can be replayed once fixed.
      logError("webhook failed", e, { provider: provider ?? "unknown" });
      outcome = { status: 500, body: { error: { code: "internal", message: "Internal error; the request was kept and can be replayed" } },
        verdict: "rejected" as const, reason: `internal error: ${e instanceof Error ? e.message : String(e)}`, integrationId: null, conversionId: null };
    }
    const refused = unauthenticated(outcome);
    if (refused) {
      ctx.intake.limiter.spend(source ?? "unknown", now);
      if (retryAfter > 0) outcome = rateLimited(outcome, retryAfter);
    }
    const inboxId = await draft.finish({
      integrationId: outcome.integrationId, verdict: outcome.verdict, statusCode: outcome.status, reason: outcome.reason,
      conversionId: outcome.conversionId, authenticated: !refused,
    });
    const headers: Record<string, string> = outcome.status === 429 ? { "retry-after": String(retryAfter) } : {};
    return Response.json({ ...outcome.body, inbox_id: inboxId }, { status: outcome.status, headers });
  };
  for (const method of ["GET", "POST"]) app.route(method, "/api/affiliate/webhook", handler as never, { parse: "none" } as never);
}

function rateLimited(o: WebhookOutcome, retryAfter: number): WebhookOutcome {
  const message = `Too many failed requests from this address; retry after ${retryAfter} s`;
  return { ...o, status: 429, body: { error: { code: "rate_limited", message } }, reason: `rate limited (${o.reason})` };
}
