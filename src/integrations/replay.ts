import type { AppContext } from "../context";
import { Conflict } from "../shared/errors";
import { getInboxRow, recordInbox, REDACTED, serializeInbox } from "./inbox";
import { receiveWebhook } from "./receive-webhook";

/**
 * Re-submits a stored webhook request (exact stored bytes) through the same
 * pipeline, e.g. after an integration's secret or program was fixed. The
 * replay gets its own inbox row pointing at the original.
 */
export async function replayInbox(ctx: AppContext, inboxId: string, opts: { integrationId?: string | null } = {}) {
  const original = await getInboxRow(ctx, inboxId);
  if (original.provider === "postback") {
    throw new Conflict("Brand postbacks (/api/conv) cannot be replayed: the brand key is never stored; ask the brand to resend");
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
    replay: { integrationId: opts.integrationId ?? original.integrationId },
  });
  const replayId = await recordInbox(ctx, {
    provider: original.provider, integrationId: outcome.integrationId, request: { method: original.method, url, headers, body, peerIp: null },
    verdict: outcome.verdict, statusCode: outcome.status, reason: `replay of ${original.id}: ${outcome.reason}`, conversionId: outcome.conversionId,
    replayOf: original.id,
  });
  return { replay: serializeInbox(await getInboxRow(ctx, replayId)), response: { status: outcome.status, body: outcome.body } };
}
