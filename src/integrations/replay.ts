import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog } from "../db/schema";
import { auditValues } from "../audit/audit";
import { Conflict } from "../shared/errors";
import { getInboxRow, recordInbox, REDACTED, serializeInbox } from "./inbox";
import { receiveWebhook } from "./receive-webhook";

/** Providers whose calls are authenticated by an HMAC over the (stored) body. */
const SIGNED_PROVIDERS = new Set(["refersion", "shopify", "woocommerce"]);

/**
 * Re-submits a stored webhook request (exact stored bytes) through the same
 * pipeline, e.g. after an integration's secret or program was fixed. The
 * replay gets its own inbox row pointing at the original, and an audit row.
 *
 * What can be replayed: signed requests (the signature over the stored body is
 * checked again, against the current secret), and unsigned ones that had
 * passed authentication the first time (their credentials were redacted, so
 * they cannot be checked again). A request that failed authentication without
 * a signature can never be turned into a conversion by a replay.
 */
export async function replayInbox(ctx: AppContext, actor: Actor, inboxId: string, opts: { integrationId?: string | null } = {}) {
  const original = await getInboxRow(ctx, inboxId);
  if (original.provider === "postback") {
    throw new Conflict("Brand postbacks (/api/conv) cannot be replayed: the brand key is never stored; ask the brand to resend");
  }
  if (original.bodyBytes !== null && original.bodyBytes > Buffer.from(original.bodyB64, "base64").length) {
    throw new Conflict("Only an excerpt of this request was kept (it failed authentication), so it cannot be replayed; ask the platform to resend");
  }
  const signed = SIGNED_PROVIDERS.has(original.provider);
  const authenticatedBefore = original.integrationId !== null && original.statusCode !== 401;
  if (!signed && !authenticatedBefore) {
    throw new Conflict(`This ${original.provider} request never authenticated; its credentials were not kept, so it cannot be replayed`);
  }
  if (!signed && opts.integrationId && opts.integrationId !== original.integrationId) {
    throw new Conflict("An unsigned request can only be replayed into the integration that authenticated it");
  }
  const url = new URL(original.url, ctx.config.PUBLIC_URL);
  const headers = new Headers();
  for (const [k, v] of Object.entries(JSON.parse(original.headers) as Record<string, string>)) {
    if (!v.includes(REDACTED)) headers.set(k, v);
  }
  const body = new Uint8Array(Buffer.from(original.bodyB64, "base64"));
  const outcome = await receiveWebhook(ctx, {
    provider: url.searchParams.get("provider"), integrationId: url.searchParams.get("i"), method: original.method,
    headers, query: url.searchParams, body, peerIp: null,
    replay: { integrationId: opts.integrationId ?? original.integrationId, vouchedIntegrationId: signed ? null : original.integrationId },
  });
  const replayId = await recordInbox(ctx, {
    provider: original.provider, integrationId: outcome.integrationId, request: { method: original.method, url, headers, body, peerIp: null },
    verdict: outcome.verdict, statusCode: outcome.status, reason: `replay of ${original.id}: ${outcome.reason}`, conversionId: outcome.conversionId,
    replayOf: original.id, authenticated: true, // an operator's replay of a body kept whole
  });
  await ctx.db.insert(auditLog).values(auditValues({
    actor, at: ctx.clock.now(), action: "inbox.replayed", entityType: "inbox", entityId: original.id,
    reason: outcome.reason, data: { replay_id: replayId, verdict: outcome.verdict, conversion_id: outcome.conversionId },
  }));
  return { replay: serializeInbox(await getInboxRow(ctx, replayId)), response: { status: outcome.status, body: outcome.body } };
}
