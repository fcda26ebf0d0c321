import { inArray } from "drizzle-orm";
import type { AppContext } from "../context";
import { findClick, type ConversionClick } from "../conversions/find-click";
import type { ConversionRow } from "../conversions/serialize";
import { conversions, publisherPostbacks } from "../db/schema";
import { claimDue, type OutboxRow } from "./claim";
import type { OutboundEvent } from "./events";
import { macroValues } from "./payload";
import { CLAIM_LIMIT, ENDPOINT_CONCURRENCY } from "./policy";
import { recordAttempt } from "./record-attempt";
import { sendPostback, type SendResult } from "./send";

type EndpointRow = typeof publisherPostbacks.$inferSelect;

export interface DeliverResult { done: number; alreadyDone: number; skipped: number; failures: number }
export interface DeliverOptions { limit?: number; timeoutMs?: number }

interface Facts {
  endpoints: Map<string, EndpointRow>;
  conversions: Map<string, ConversionRow>;
  clicks: Map<string, ConversionClick | null>;
}

/**
 * One dispatcher run (the scheduler job, the after-commit wake-up, tests):
 * claim due deliveries, send them (endpoints in parallel, each endpoint's
 * rows one at a time so a pause stops the rest), record every attempt.
 * done = sent; failures = failed tries; alreadyDone = outcomes another
 * dispatcher recorded first; skipped = left for later because the endpoint
 * paused meanwhile. Safe to run concurrently and to re-run.
 */
export async function deliverDue(ctx: AppContext, opts: DeliverOptions = {}): Promise<DeliverResult> {
  const total: DeliverResult = { done: 0, alreadyDone: 0, skipped: 0, failures: 0 };
  const claimed = await claimDue(ctx, ctx.clock.now(), opts.limit ?? CLAIM_LIMIT);
  if (claimed.length === 0) return total;
  const facts = await loadFacts(ctx, claimed);
  const byEndpoint = new Map<string, OutboxRow[]>();
  for (const row of claimed) byEndpoint.set(row.endpointId, [...(byEndpoint.get(row.endpointId) ?? []), row]);
  await inParallel([...byEndpoint.values()], ENDPOINT_CONCURRENCY, async (rows) => {
    for (let i = 0; i < rows.length; i++) {
      const r = await deliverOne(ctx, rows[i]!, facts, opts);
      if (!r.owned) total.alreadyDone++;
      else if (r.outcome === "sent") total.done++;
      else total.failures++;
      if (r.endpointPaused) { total.skipped += rows.length - i - 1; break; }
    }
  });
  return total;
}

async function deliverOne(ctx: AppContext, row: OutboxRow, facts: Facts, opts: DeliverOptions) {
  const endpoint = facts.endpoints.get(row.endpointId);
  const conversion = facts.conversions.get(row.conversionId);
  const result = !endpoint || !conversion
    ? failedWithoutSending(endpoint?.url ?? "", endpoint ? "conversion not found" : "endpoint deleted")
    : await attempt(ctx, row, endpoint, conversion, facts.clicks.get(conversion.clickId ?? "") ?? null, opts);
  return recordAttempt(ctx, row, result);
}

async function attempt(ctx: AppContext, row: OutboxRow, endpoint: EndpointRow, conversion: ConversionRow, click: ConversionClick | null, opts: DeliverOptions): Promise<SendResult> {
  let signingSecret: string | null = null;
  if (endpoint.signingSecretSealed) {
    try { signingSecret = ctx.secrets.open(endpoint.signingSecretSealed); } catch {
      return failedWithoutSending(endpoint.url, "signing secret cannot be opened (was SECRETS_KEY changed?); set it again");
    }
  }
  const values = macroValues({ deliveryId: row.id, event: row.event as OutboundEvent, conversion, click });
  return sendPostback({ template: endpoint.url, method: endpoint.method, values, signingSecret, now: ctx.clock.now(), timeoutMs: opts.timeoutMs });
}

const failedWithoutSending = (url: string, error: string): SendResult => ({ url, ok: false, statusCode: null, error, durationMs: 0 });

async function loadFacts(ctx: AppContext, rows: OutboxRow[]): Promise<Facts> {
  const endpointIds = [...new Set(rows.map((r) => r.endpointId))];
  const conversionIds = [...new Set(rows.map((r) => r.conversionId))];
  const [eps, convs] = await Promise.all([
    ctx.db.select().from(publisherPostbacks).where(inArray(publisherPostbacks.id, endpointIds)),
    ctx.db.select().from(conversions).where(inArray(conversions.id, conversionIds)),
  ]);
  const clicks = new Map<string, ConversionClick | null>();
  for (const c of convs) if (c.clickId && !clicks.has(c.clickId)) clicks.set(c.clickId, await findClick(ctx, c.clickId));
  return { endpoints: new Map(eps.map((e) => [e.id, e])), conversions: new Map(convs.map((c) => [c.id, c])), clicks };
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => { while (next < items.length) await fn(items[next++]!); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
