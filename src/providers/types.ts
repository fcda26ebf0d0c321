/**
 * The contract between the webhook route and the provider adapters. Adapters
 * are pure: no database, no HTTP framework, only the raw request and the
 * integration's secrets (as values or as constant-time matchers).
 */

export interface RawRequest {
  method: "GET" | "POST" | string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  query: URLSearchParams;
  /** The exact raw bytes: signatures are computed over these. */
  body: Uint8Array;
  /** Client address, already resolved by the caller under its trusted-proxy rules. */
  peerIp: string | null;
}

export interface IntegrationSecrets {
  /** Clear shared secret (refersion/shopify/woocommerce HMAC key). */
  secret?: string | null;
  /** For hash-only secrets (generic x-lastclick-secret): constant-time compare against the stored hash. */
  secretMatches?: (candidate: string) => boolean;
  basicUser?: string | null;
  basicPasswordMatches?: (candidate: string) => boolean;
  urlTokenMatches?: (candidate: string) => boolean;
  /** Everflow allowlist. */
  ipAllowed?: (ip: string) => boolean;
  vendorId?: string | null;
}

/** denied/declined/rejected/refunded/cancelled all map to "reversed". */
export type ConversionStatus = "pending" | "approved" | "reversed";

export interface NormalizedConversion {
  /** Idempotency key (everflow: transaction_id + ":" + event). Verbatim, at most 200 characters. */
  orderRef: string;
  /** Exact decimal text as sent ("59.00"); a JSON number keeps its source text. */
  amount: string;
  /** As sent (may be lower case), already checked to be an ISO 4217 code. */
  currency: string;
  /** Null when absent or an unreplaced macro ("{SubId1}", "{sub1}", "%s"). */
  clickRef: string | null;
  status: ConversionStatus;
  /** Platform test flag, an order id starting "TEST" (any case), or an amount of exactly 0.01. */
  isTest: boolean;
  /** The platform's own commission/payout, decimal text, if it reports one. */
  platformCommission: string | null;
  /** Epoch ms. */
  occurredAt: number | null;
  /** Delivery id for dropping exact retries, e.g. Shopify X-Shopify-Webhook-Id. */
  dedupeKey?: string | null;
  /** The platform's event or topic, for the inbox (e.g. "orders/create", "APPROVED_CONVERSION"). */
  topic?: string | null;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** `ignore`: answer 200 and store nothing (a WooCommerce ping, a non-order topic). */
export type ParseResult =
  | { ok: true; conversion: NormalizedConversion }
  | { ok: false; reasons: string[] }
  | { ok: true; ignore: string };

export interface ParseOptions {
  /** The network's click parameter (config CLICK_PARAM); "lc_click" is always accepted too. */
  clickParam?: string;
  /**
   * Currency of amounts in a request that names none: the integration's
   * currency, else its program's. Only Everflow uses it (its postbacks carry no
   * currency, SPEC §5); every other platform must send its own.
   */
  defaultCurrency?: string;
}

export type ProviderName = "refersion" | "impact" | "everflow" | "generic" | "shopify" | "woocommerce";

export interface ProviderAdapter {
  name: ProviderName;
  methods: ("GET" | "POST")[];
  /** How to answer a repeat of an order already on file. */
  duplicateStatus: 200 | 409;
  /** A value identifying the integration when the URL has no &i=ID; null when the provider identifies by signature or IP. */
  identify(req: RawRequest): string | null;
  /** Verify over the exact raw bytes, constant time, BEFORE parsing. */
  verify(req: RawRequest, secrets: IntegrationSecrets): VerifyResult;
  parse(req: RawRequest, options?: ParseOptions): ParseResult;
}
