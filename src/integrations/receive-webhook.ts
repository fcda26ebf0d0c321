import { and, eq } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { cachedProgram, recordConversion } from "../conversions/record-conversion";
import { approveConversion, reverseConversion } from "../conversions/review";
import type { ConversionRow } from "../conversions/serialize";
import { conversions, integrations, PROVIDERS, type ProviderName } from "../db/schema";
import { ADAPTERS } from "../providers";
import type { ConversionStatus, NormalizedConversion, ProviderAdapter, RawRequest } from "../providers/types";
import { AppError } from "../shared/errors";
import { clientIp, proxyMatcher } from "../tracking/client-ip";
import { carriesCredential, cheapToSearch } from "./credential-presence";
import type { InboxDraft, Verdict } from "./inbox";
import { secretsFor } from "./integration-store";

type IntegrationRow = typeof integrations.$inferSelect;

export interface WebhookRequest {
  provider: string | null;
  integrationId: string | null;
  method: string;
  headers: Headers;
  query: URLSearchParams;
  body: Uint8Array;
  /** Socket peer; the client address is derived per integration's trusted proxies. */
  peerIp: string | null;
  /**
   * Replaying a stored request: `integrationId` narrows the search;
   * `vouchedIntegrationId` is an integration that already verified this very
   * request when it first arrived (its credentials were then redacted from
   * the inbox), so it is not asked to verify again.
   */
  replay?: { integrationId?: string | null; vouchedIntegrationId?: string | null };
  /**
   * The source has used up its failed-authentication budget: a request that
   * names no integration (&i=, an identifying credential) is checked against
   * at most INTAKE_LIMITED_CHECKS integrations, those that recently verified
   * first (see VerifiedMemory); never searched across all of them.
   */
  limited?: boolean;
  /** The client address the rate limit counts by (the limiter's key); successes are remembered per source. */
  source?: string | null;
  /** This request's inbox row, committed with the conversion it creates. */
  inbox?: InboxDraft;
}

export interface WebhookOutcome {
  status: number;
  body: Record<string, unknown>;
  verdict: Verdict;
  reason: string;
  integrationId: string | null;
  conversionId: string | null;
}

const reject = (status: number, code: string, reason: string, integrationId: string | null = null, extra: Record<string, unknown> = {}): WebhookOutcome =>
  ({ status, body: { error: { code, message: reason, ...extra } }, verdict: "rejected", reason, integrationId, conversionId: null });

/**
 * One platform webhook, start to finish: known provider -> find the
 * integration and verify (signature over the raw bytes / credentials / IP)
 * before parsing -> parse to a normalised conversion -> recordConversion (the
 * one storage path) -> apply a status re-delivery. Returns what to answer and
 * what to write in the inbox; it never throws for a bad request.
 */
export async function receiveWebhook(ctx: AppContext, req: WebhookRequest): Promise<WebhookOutcome> {
  if (!req.provider) return reject(400, "bad_request", "provider query parameter is required");
  if (!(PROVIDERS as readonly string[]).includes(req.provider)) return reject(404, "unknown_provider", `Unknown provider "${req.provider}"`);
  const adapter = ADAPTERS[req.provider as ProviderName]!;
  if (!adapter.methods.includes(req.method as "GET" | "POST")) return reject(405, "method_not_allowed", `${adapter.name} webhooks use ${adapter.methods.join(" or ")}`);

  const found = await findVerifiedIntegration(ctx, adapter, req);
  if ("why" in found) {
    // Right credentials, but the body that would say which integration (generic vendor_id) is broken:
    // the sender proved who it is, so it learns what to fix instead of a bare 401.
    const broken = found.ambiguous ? adapter.parse(found.ambiguous, { clickParam: ctx.config.CLICK_PARAM }) : null;
    if (broken && !broken.ok) return { ...reject(422, "validation_failed", broken.reasons.join("; "), null, { reasons: broken.reasons }), reason: `${broken.reasons.join("; ")} (credentials fit several integrations: ${found.why})` };
    // The caller learns nothing; the operator reads why in the inbox.
    return { ...reject(401, "unauthorized", "Missing or invalid credentials"), reason: `Missing or invalid credentials: ${found.why}` };
  }
  const { integration, raw } = found;

  const parsed = adapter.parse(raw, { clickParam: ctx.config.CLICK_PARAM, defaultCurrency: await defaultCurrency(ctx, integration) });
  if (!parsed.ok) return reject(422, "validation_failed", parsed.reasons.join("; "), integration.id, { reasons: parsed.reasons });
  if ("ignore" in parsed) {
    return { status: 200, body: { status: "ignored", reason: parsed.ignore }, verdict: "accepted", reason: `nothing to record: ${parsed.ignore}`, integrationId: integration.id, conversionId: null };
  }
  return record(ctx, adapter, integration, parsed.conversion, req.inbox);
}

/** For requests that name no currency (Everflow): the integration's, else its program's. */
async function defaultCurrency(ctx: AppContext, integration: IntegrationRow): Promise<string | undefined> {
  return integration.currency ?? (await cachedProgram(ctx, integration.programId))?.currency ?? undefined;
}

async function findVerifiedIntegration(
  ctx: AppContext, adapter: ProviderAdapter, req: WebhookRequest,
): Promise<{ integration: IntegrationRow; raw: RawRequest } | { why: string; ambiguous?: RawRequest }> {
  let candidates: IntegrationRow[];
  const wantedId = req.replay?.integrationId ?? req.integrationId;
  const ofProvider = await ctx.caches.integrations.get(adapter.name, ctx.clock.now(), () =>
    ctx.db.select().from(integrations).where(eq(integrations.provider, adapter.name)));
  if (wantedId) {
    candidates = ofProvider.filter((c) => c.id === wantedId);
  } else {
    candidates = ofProvider;
    const hint = adapter.identify(baseRaw(req, req.peerIp));
    if (hint !== null) candidates = candidates.filter((c) => c.basicUser === hint || c.vendorId === hint);
  }
  if (candidates.length === 0) return { why: `no ${adapter.name} integration matches this request` };
  // Without any credential nothing can verify: answer at once, whatever the number of integrations.
  if (!req.replay && !carriesCredential(adapter.name, baseRaw(req, req.peerIp))) return { why: `no ${adapter.name} credentials in the request` };
  const failures: string[] = [];
  const verified: { integration: IntegrationRow; raw: RawRequest }[] = [];
  const check = (integration: IntegrationRow) => {
    const proxies = proxyMatcher([...ctx.config.TRUSTED_PROXIES, ...(integration.trustedProxies ? JSON.parse(integration.trustedProxies) as string[] : [])]);
    const raw = baseRaw(req, clientIp(req.peerIp, req.headers.get("x-forwarded-for"), proxies));
    const verdict = req.replay?.vouchedIntegrationId === integration.id ? { ok: true as const } : verifyWith(ctx, adapter, raw, integration);
    if (verdict.ok) verified.push({ integration, raw });
    else failures.push(`${integration.id.slice(0, 8)}: ${verdict.reason}`);
  };
  const memory = ctx.intake.verified;
  const source = req.source ?? null;
  if (req.limited && !cheapToSearch(adapter.name) && candidates.length > memory.checks) {
    // A forged signature from a limited source costs at most `checks` verifications. Only a request
    // that one of them vouches for (so its sender holds a real secret) is then checked against the
    // rest too, so the answer is the same as an unlimited search's: never a guess between integrations.
    const picked = memory.pick(adapter.name, source, candidates);
    picked.forEach(check);
    if (verified.length === 0) {
      return { why: `too many failed requests from this address: checked only ${picked.length} of ${candidates.length} integrations (recently verified first; a URL with &i= is always checked): ${failures.slice(0, 5).join("; ")}` };
    }
    const done = new Set(picked.map((c) => c.id));
    candidates.filter((c) => !done.has(c.id)).forEach(check);
  } else {
    candidates.forEach(check);
  }
  if (verified.length === 1) {
    if (!req.replay) memory.record(adapter.name, source, verified[0]!.integration.id);
    return verified[0]!;
  }
  // Never guess between programs: the same secret/IP fits several integrations.
  if (verified.length > 1) return { why: `ambiguous: matches ${verified.length} integrations; configure the platform with the webhook URL that carries &i=`, ambiguous: verified[0]!.raw };
  return { why: failures.slice(0, 5).join("; ") };
}

function verifyWith(ctx: AppContext, adapter: ProviderAdapter, raw: RawRequest, integration: IntegrationRow) {
  try {
    return adapter.verify(raw, secretsFor(ctx, integration));
  } catch {
    return { ok: false as const, reason: "stored secret cannot be opened (was SECRETS_KEY or secrets.key changed?)" };
  }
}

function baseRaw(req: WebhookRequest, peerIp: string | null): RawRequest {
  // fromEntries defines own properties: a header named __proto__ stays a header.
  const headers: Record<string, string> = Object.fromEntries(req.headers.entries());
  return { method: req.method, headers, query: req.query, body: req.body, peerIp };
}

async function record(ctx: AppContext, adapter: ProviderAdapter, integration: IntegrationRow, conv: NormalizedConversion, inbox?: InboxDraft): Promise<WebhookOutcome> {
  const actor: Actor = { type: "integration", id: integration.id };
  // The test handshake: an integration in test mode only ever records test conversions.
  const isTest = integration.mode === "test" || conv.isTest;
  const seenInTest = !isTest ? await findTestRow(ctx, integration.programId, conv.orderRef) : null;
  if (seenInTest) {
    // First delivered while the integration was in test mode: that row is the order; never count it twice.
    const change = await applyStatus(ctx, actor, adapter, seenInTest, conv.status);
    return {
      status: change.changed ? 200 : adapter.duplicateStatus, verdict: change.changed ? "updated" : "duplicate",
      body: { status: change.changed ? "updated" : "duplicate", id: change.row.id, conversion_status: change.row.status, test: true },
      reason: `order ${conv.orderRef} is on file as a test conversion (received in test mode)${change.changed ? `; moved ${seenInTest.status} -> ${change.row.status}` : ""}`,
      integrationId: integration.id, conversionId: change.row.id,
    };
  }
  let result;
  try {
    result = await recordConversion(ctx, actor, {
      programId: integration.programId, brandOrderRef: conv.orderRef, orderValue: conv.amount, orderCurrency: conv.currency,
      clickRef: conv.clickRef, isTest, source: adapter.name, platformCommission: conv.platformCommission,
      occurredAt: conv.occurredAt ?? undefined,
      alsoWhenCreated: inbox && ((row, guard) => [inbox.whenCreated({
        integrationId: integration.id, verdict: "accepted", statusCode: 200, conversionId: row.id, reason: recordedReason(row, isTest),
      }, guard)]),
    });
  } catch (e) {
    if (e instanceof AppError && e.status < 500) {
      const reasons = e.fields ? Object.entries(e.fields).map(([k, v]) => `${k}: ${v.join(", ")}`) : [e.message];
      return reject(e.status === 404 ? 422 : e.status, e.code, reasons.join("; "), integration.id, { reasons });
    }
    throw e;
  }
  const stored = result.conversion;
  const ok = (status: number, verdict: Verdict, reason: string, word: string, row: ConversionRow): WebhookOutcome => ({
    status, body: { status: word, id: row.id, conversion_status: row.status, test: row.isTest }, verdict, reason, integrationId: integration.id, conversionId: row.id,
  });
  if (result.status === "created") {
    const after = await applyStatus(ctx, actor, adapter, stored, conv.status);
    return ok(200, "accepted", `${recordedReason(stored, isTest)}${after.note ? `; ${after.note}` : ""}`, "created", after.row);
  }
  const change = await applyStatus(ctx, actor, adapter, stored, conv.status);
  if (change.changed) return ok(200, "updated", `re-delivery moved ${stored.status} -> ${change.row.status}`, "updated", change.row);
  return ok(adapter.duplicateStatus, "duplicate", `order ${conv.orderRef} already on file (${stored.status})${change.note ? `; ${change.note}` : ""}`, "duplicate", stored);
}

const recordedReason = (row: ConversionRow, isTest: boolean) => `recorded (${row.attributionReason}${isTest ? ", test" : ""})`;

async function findTestRow(ctx: AppContext, programId: string, orderRef: string): Promise<ConversionRow | null> {
  // Fast path on an embedded file: most orders are on file as neither, or live only.
  const onFile = ctx.localReads?.orderOnFile(programId, orderRef);
  if (onFile && (onFile.live || !onFile.test)) return null;
  const rows = await ctx.db.select().from(conversions)
    .where(and(eq(conversions.programId, programId), eq(conversions.brandOrderRef, orderRef)));
  if (rows.some((r) => !r.isTest)) return null; // a live row exists: the normal duplicate path handles it
  return rows.find((r) => r.isTest) ?? null;
}

/** A platform-reported status applied to the stored conversion through the same review verbs. */
async function applyStatus(ctx: AppContext, actor: Actor, adapter: ProviderAdapter, row: ConversionRow, status: ConversionStatus) {
  if (status === row.status || status === "pending") return { changed: false, row, note: "" };
  try {
    const r = status === "approved"
      ? await approveConversion(ctx, actor, row.id)
      : await reverseConversion(ctx, actor, row.id, `${adapter.name} reported the order as reversed/denied`);
    return { changed: r.changed, row: r.conversion, note: "" };
  } catch (e) {
    if (e instanceof AppError && e.status === 409) return { changed: false, row, note: `platform status "${status}" not applied: ${e.message}` };
    throw e;
  }
}

