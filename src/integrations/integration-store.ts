import { insertChange } from "../changes/write-change";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import { keyedSecretHash, matchesStoredSecret } from "../auth/secrets";
import type { AppContext } from "../context";
import { auditLog, integrations, PROVIDERS, type ProviderName } from "../db/schema";
import { auditValues } from "../audit/audit";
import { NotFound, Validation } from "../shared/errors";
import { uuidv7 } from "../shared/ids";
import { iso } from "../shared/time";
import { currency, id, ipOrCidr } from "../shared/validators";
import { getProgramRow } from "../network/programs";
import { proxyMatcher } from "../tracking/client-ip";

const allowEntry = ipOrCidr.refine((v) => !/\/([0-7])$/.test(v), "a range wider than /8 would let almost anyone in");

const credentialFields = {
  secret: z.string().min(8, "at least 8 characters").max(256),
  basic_user: z.string().min(1).max(128),
  basic_password: z.string().min(8, "at least 8 characters").max(256),
  ip_allowlist: z.array(allowEntry).min(1).max(100),
  trusted_proxies: z.array(allowEntry).max(20),
  vendor_id: z.string().min(1).max(128),
};

export const createIntegrationBody = z.strictObject({
  program_id: id,
  provider: z.enum(PROVIDERS),
  mode: z.enum(["test", "live"]).default("test"),
  /** Everflow only: the currency of its amounts (its postbacks name none); default the program's. */
  currency: currency.optional(),
  /** Reconciliation reports are mailed here when SMTP_URL is set. */
  contact_email: z.email().max(254).optional(),
  ...Object.fromEntries(Object.entries(credentialFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof credentialFields]: z.ZodOptional<(typeof credentialFields)[K]> },
});
export const updateIntegrationBody = z.strictObject({
  mode: z.enum(["test", "live"]),
  /** null: back to the program's currency. */
  currency: currency.nullable(),
  /** null: no more report mails. */
  contact_email: z.email().max(254).nullable(),
  ...credentialFields,
}).partial().refine((b) => Object.keys(b).length > 0, "send at least one field to change");

type IntegrationRow = typeof integrations.$inferSelect;
type Creds = Partial<Record<keyof typeof credentialFields, unknown>>;

/** What each platform needs to authenticate its calls (SPEC §5). */
function requiredCredentials(provider: ProviderName, c: Creds): Record<string, string[]> {
  const missing = (field: string, why: string) => ({ [field]: [why] });
  switch (provider) {
    case "refersion": case "shopify": case "woocommerce":
      return c.secret ? {} : missing("secret", `${provider} signs webhooks with a shared secret: required`);
    case "generic":
      return { ...(c.secret ? {} : missing("secret", "the x-lastclick-secret value: required")), ...(c.vendor_id ? {} : missing("vendor_id", "required for generic")) };
    case "impact":
      return (c.basic_user && c.basic_password) || c.secret ? {} : missing("basic_user", "impact needs basic_user + basic_password (account SID + AuthToken) and/or a secret URL token");
    case "everflow":
      return c.ip_allowlist ? {} : missing("ip_allowlist", "everflow postbacks are unsigned: the allowlist of its IPs is required");
  }
}

/** Clear secrets are sealed (HMAC providers) or keyed-hashed (compare-only), never stored as given. */
function credentialColumns(provider: ProviderName, c: Creds, ctx: AppContext): Partial<IntegrationRow> {
  const out: Partial<IntegrationRow> = {};
  if (typeof c.secret === "string") {
    if (provider === "generic" || provider === "impact") out.secretHash = keyedSecretHash(ctx.secrets, c.secret);
    else out.secretSealed = ctx.secrets.seal(c.secret);
    if (provider === "impact") out.urlTokenHash = keyedSecretHash(ctx.secrets, c.secret);
  }
  if (typeof c.basic_user === "string") out.basicUser = c.basic_user;
  if (typeof c.basic_password === "string") out.basicPasswordHash = keyedSecretHash(ctx.secrets, c.basic_password);
  if (c.ip_allowlist) out.ipAllowlist = JSON.stringify(c.ip_allowlist);
  if (c.trusted_proxies) out.trustedProxies = JSON.stringify(c.trusted_proxies);
  if (typeof c.vendor_id === "string") out.vendorId = c.vendor_id;
  return out;
}

/** Only Everflow postbacks come without a currency; every other platform names its own. */
function checkCurrencyField(provider: ProviderName, c: string | null | undefined): void {
  if (c != null && provider !== "everflow") {
    throw new Validation({ currency: [`only everflow postbacks come without a currency; ${provider} sends its own`] });
  }
}

export function webhookUrl(ctx: AppContext, row: Pick<IntegrationRow, "id" | "provider">): string {
  return `${ctx.config.PUBLIC_URL}/api/affiliate/webhook?provider=${row.provider}&i=${row.id}`;
}

export async function createIntegration(ctx: AppContext, actor: Actor, b: z.infer<typeof createIntegrationBody>) {
  const program = await getProgramRow(ctx, b.program_id).catch(() => { throw new Validation({ program_id: ["no such program"] }); });
  const missing = requiredCredentials(b.provider, b);
  if (Object.keys(missing).length) throw new Validation(missing, `Missing credentials for ${b.provider}`);
  checkCurrencyField(b.provider, b.currency);
  const now = ctx.clock.now();
  const row: IntegrationRow = {
    id: uuidv7(now), brandId: program.brandId, programId: program.id, provider: b.provider, mode: b.mode,
    secretSealed: null, secretHash: null, basicUser: null, basicPasswordHash: null, urlTokenHash: null,
    ipAllowlist: null, trustedProxies: null, vendorId: null, currency: b.currency ?? null, contactEmail: b.contact_email ?? null, createdAt: now, updatedAt: now,
    ...credentialColumns(b.provider, b, ctx),
  };
  await ctx.db.batch([
    ctx.db.insert(integrations).values(row),
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "integration.created", entityType: "integration", entityId: row.id, toStatus: row.mode, data: { provider: row.provider, program_id: row.programId } })),
    insertChange(ctx, now, { kind: "integration.created", entityId: row.id, brandId: row.brandId, programId: row.programId }),
  ]);
  ctx.caches.integrations.clear();
  const url = webhookUrl(ctx, row);
  // Impact's secret token travels in the postback URL the brand configures; shown once.
  return { ...serializeIntegration(ctx, row), webhook_url: b.provider === "impact" && b.secret ? `${url}&token=${encodeURIComponent(b.secret)}` : url };
}

/** Changing credentials or flipping test -> live is audited (the test handshake). */
export async function updateIntegration(ctx: AppContext, actor: Actor, integrationId: string, b: z.infer<typeof updateIntegrationBody>) {
  const before = await getIntegrationRow(ctx, integrationId);
  checkCurrencyField(before.provider, b.currency);
  const now = ctx.clock.now();
  const after: IntegrationRow = {
    ...before, ...(b.mode && { mode: b.mode }), ...(b.currency !== undefined && { currency: b.currency }),
    ...(b.contact_email !== undefined && { contactEmail: b.contact_email }),
    ...credentialColumns(before.provider, b, ctx), updatedAt: now,
  };
  await ctx.db.batch([
    ctx.db.update(integrations).set(after).where(eq(integrations.id, integrationId)),
    ctx.db.insert(auditLog).values(auditValues({
      actor, at: now, action: before.mode !== after.mode ? "integration.mode_changed" : "integration.updated", entityType: "integration",
      entityId: integrationId, fromStatus: before.mode, toStatus: after.mode, data: { fields: Object.keys(b) },
    })),
    insertChange(ctx, now, { kind: "integration.updated", entityId: integrationId, brandId: before.brandId, programId: before.programId }),
  ]);
  ctx.caches.integrations.clear(); // new credentials / mode apply at once on this instance
  return serializeIntegration(ctx, after);
}

export async function getIntegrationRow(ctx: AppContext, integrationId: string): Promise<IntegrationRow> {
  const [row] = await ctx.db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row) throw new NotFound("Integration not found");
  return row;
}

export async function listIntegrations(ctx: AppContext, filter: { programId?: string; provider?: ProviderName } = {}) {
  const rows = await ctx.db.select().from(integrations).where(and(
    filter.programId ? eq(integrations.programId, filter.programId) : undefined,
    filter.provider ? eq(integrations.provider, filter.provider) : undefined,
  )).orderBy(desc(integrations.createdAt));
  return rows;
}

export function serializeIntegration(ctx: AppContext, r: IntegrationRow) {
  return {
    id: r.id, brand_id: r.brandId, program_id: r.programId, provider: r.provider, mode: r.mode,
    webhook_url: webhookUrl(ctx, r), has_secret: !!(r.secretSealed || r.secretHash), basic_user: r.basicUser,
    has_basic_password: !!r.basicPasswordHash, ip_allowlist: r.ipAllowlist ? JSON.parse(r.ipAllowlist) : null,
    trusted_proxies: r.trustedProxies ? JSON.parse(r.trustedProxies) : null, vendor_id: r.vendorId,
    currency: r.currency, contact_email: r.contactEmail,
    created_at: iso(r.createdAt), updated_at: iso(r.updatedAt),
  };
}

/**
 * Opened HMAC keys, per secrets box, keyed by the sealed text (which changes
 * whenever the secret does, so an update never reads a stale key). Opening
 * costs an AES-GCM decrypt; webhook discovery may need many keys per request.
 */
const opened = new WeakMap<object, Map<string, string>>();
const MAX_OPENED = 10_000;

function openSealed(ctx: AppContext, sealed: string): string {
  let keys = opened.get(ctx.secrets);
  if (!keys) opened.set(ctx.secrets, (keys = new Map()));
  const hit = keys.get(sealed);
  if (hit !== undefined) return hit;
  const clear = ctx.secrets.open(sealed); // throws on a changed SECRETS_KEY: never cached
  if (keys.size >= MAX_OPENED) keys.clear();
  keys.set(sealed, clear);
  return clear;
}

type HashColumn = "secretHash" | "basicPasswordHash" | "urlTokenHash";

/**
 * A row written before keyed hashing keeps its bare SHA-256 until its secret
 * is next presented and verifies: then it is rewritten keyed (conditional on
 * the old value, so a concurrent credential change wins).
 */
function upgradeLegacyHash(ctx: AppContext, r: IntegrationRow, column: HashColumn, candidate: string) {
  const stored = r[column]!;
  ctx.db.update(integrations).set({ [column]: keyedSecretHash(ctx.secrets, candidate) })
    .where(and(eq(integrations.id, r.id), eq(integrations[column], stored)))
    .then(() => ctx.caches.integrations.clear(), (e) => console.error("could not upgrade a legacy secret hash:", e instanceof Error ? e.message : e));
}

/** The adapter-facing view of an integration's credentials (clear secret only where an HMAC needs it). */
export function secretsFor(ctx: AppContext, r: IntegrationRow) {
  // A matcher is only present when that credential is configured: adapters read presence as "required".
  const matches = (column: HashColumn) => {
    const stored = r[column];
    if (!stored) return undefined;
    return (candidate: string) => {
      const how = matchesStoredSecret(ctx.secrets, candidate, stored);
      if (how === "legacy") upgradeLegacyHash(ctx, r, column, candidate);
      return how !== false;
    };
  };
  const allow = r.ipAllowlist ? proxyMatcher(JSON.parse(r.ipAllowlist)) : null;
  return {
    secret: r.secretSealed ? openSealed(ctx, r.secretSealed) : null,
    secretMatches: matches("secretHash"),
    basicUser: r.basicUser,
    basicPasswordMatches: matches("basicPasswordHash"),
    urlTokenMatches: matches("urlTokenHash"),
    ipAllowed: allow ? (ip: string) => allow(ip) : undefined,
    vendorId: r.vendorId,
  };
}
