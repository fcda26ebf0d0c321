import type { Elysia } from "elysia";
import { readRawBody } from "../api/body";
import type { AppContext } from "../context";
import { AppError, errorBody } from "../shared/errors";
import { peerAddress, type PeerServer } from "../tracking/peer";
import { recordInbox } from "./inbox";
import { logError } from "../ops/log";
import { receiveWebhook } from "./receive-webhook";

type Ctx = { request: Request; server: PeerServer };

/**
 * /api/affiliate/webhook?provider=P[&i=ID] (GET and POST): every request,
 * accepted or not, lands in the inbox with its verdict and reason.
 */
export function mountWebhookRoutes(app: Elysia, ctx: AppContext): void {
  const handler = async (c: Ctx) => {
    const url = new URL(c.request.url);
    const peerIp = peerAddress(c.request, c.server);
    const provider = url.searchParams.get("provider");
    let body: Uint8Array;
    try {
      body = await readRawBody(c.request, ctx.config.MAX_BODY_BYTES);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      await recordInbox(ctx, {
        provider: provider ?? "unknown", integrationId: null, request: { method: c.request.method, url, headers: c.request.headers, body: new Uint8Array(0), peerIp },
        verdict: "rejected", statusCode: e.status, reason: `${e.message} (body not kept)`, conversionId: null,
      });
      return Response.json(errorBody(e), { status: e.status });
    }
    let outcome;
    try {
      outcome = await receiveWebhook(ctx, {
        provider, integrationId: url.searchParams.get("i"), method: c.request.method, headers: c.request.headers,
        query: url.searchParams, body, peerIp,
      });
    } catch (e) {
      // Keep the request even when we fail: it can be replayed once fixed.
      logError("webhook failed", e, { provider: provider ?? "unknown" });
      outcome = { status: 500, body: { error: { code: "internal", message: "Internal error; the request was kept and can be replayed" } },
        verdict: "rejected" as const, reason: `internal error: ${e instanceof Error ? e.message : String(e)}`, integrationId: null, conversionId: null };
    }
    const inboxId = await recordInbox(ctx, {
      provider: provider ?? "unknown", integrationId: outcome.integrationId, request: { method: c.request.method, url, headers: c.request.headers, body, peerIp },
      verdict: outcome.verdict, statusCode: outcome.status, reason: outcome.reason, conversionId: outcome.conversionId,
    });
    return Response.json({ ...outcome.body, inbox_id: inboxId }, { status: outcome.status });
  };
  for (const method of ["GET", "POST"]) app.route(method, "/api/affiliate/webhook", handler as never, { parse: "none" } as never);
}
