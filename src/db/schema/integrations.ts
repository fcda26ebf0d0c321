import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

export const PROVIDERS = ["refersion", "impact", "everflow", "generic", "shopify", "woocommerce"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/**
 * A platform integration for one program. Secrets are stored two ways:
 * where comparing is enough (generic shared secret, Impact AuthToken and URL
 * token) only a keyed hash (HMAC-SHA256 under the secrets key, "k1:..."; rows
 * from before keep a bare SHA-256 until their secret next verifies); where the raw secret is needed to compute an
 * HMAC (Refersion, Shopify, WooCommerce) it is sealed with AES-256-GCM under
 * the appliance's secrets key, which lives outside the database.
 */
export const integrations = sqliteTable("integrations", {
  id: text("id").primaryKey(),
  brandId: text("brand_id").notNull(),
  programId: text("program_id").notNull(),
  provider: text("provider", { enum: PROVIDERS }).notNull(),
  mode: text("mode", { enum: ["test", "live"] }).notNull(),
  secretSealed: text("secret_sealed"),
  secretHash: text("secret_hash"),
  basicUser: text("basic_user"),
  basicPasswordHash: text("basic_password_hash"),
  urlTokenHash: text("url_token_hash"),
  /** JSON array of IPs / IPv4 CIDRs allowed to call (everflow). */
  ipAllowlist: text("ip_allowlist"),
  /** JSON array of proxies whose X-Forwarded-For is believed for this integration. */
  trustedProxies: text("trusted_proxies"),
  vendorId: text("vendor_id"),
  /** ISO 4217 code of amounts in postbacks that carry no currency (Everflow); null = the program's currency. */
  currency: text("currency"),
  /** Who receives this integration's reconciliation reports by mail (SPEC §9 Mail); null = nobody. */
  contactEmail: text("contact_email"),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
}, (t) => [index("integrations_provider").on(t.provider), index("integrations_program").on(t.programId)]);

/** Every intake request (webhooks and /api/conv), verbatim but with secrets redacted. */
export const inbox = sqliteTable("inbox", {
  id: text("id").primaryKey(),
  receivedAt: ms("received_at").notNull(),
  /** "postback" for /api/conv, else the provider name as asked for. */
  provider: text("provider").notNull(),
  integrationId: text("integration_id"),
  method: text("method").notNull(),
  /** Path and query, secrets redacted. */
  url: text("url").notNull(),
  /** JSON object of headers, secrets redacted. */
  headers: text("headers").notNull(),
  /**
   * Raw body (base64 of the exact bytes, so a replay verifies the same
   * signature); for a request that failed authentication only its first
   * INBOX_EXCERPT_BYTES.
   */
  bodyB64: text("body_b64").notNull(),
  /** Size of the body as received (more than what body_b64 holds when it is an excerpt); null on older rows. */
  bodyBytes: integer("body_bytes"),
  /** Requests this row stands for: above 1 it is the sample of a flood from one source, reason and minute. */
  repeatCount: integer("repeat_count").notNull().default(1),
  peerIp: text("peer_ip_hash"),
  verdict: text("verdict", { enum: ["accepted", "duplicate", "updated", "rejected"] }).notNull(),
  statusCode: integer("status_code").notNull(),
  reason: text("reason").notNull(),
  conversionId: text("conversion_id"),
  replayOf: text("replay_of"),
}, (t) => [index("inbox_received").on(t.receivedAt), index("inbox_provider_received").on(t.provider, t.receivedAt),
  // A conversion's detail page shows the request that created it.
  index("inbox_conversion").on(t.conversionId)]);
