/**
 * WooCommerce order webhooks. `X-WC-Webhook-Signature` is base64
 * HMAC-SHA256(raw body, webhook secret); the topic is `X-WC-Webhook-Topic`.
 * When a webhook is saved WooCommerce sends an unsigned ping, body
 * `webhook_id=<n>` form-encoded: verify lets exactly that through and parse
 * answers it with `ignore`, and an unsigned request is never parsed into a
 * conversion (parse refuses any body without the signature header too).
 *
 * Order fields: orderRef = id (else number); amount = total; currency;
 * occurredAt = date_created_gmt (UTC without a zone; date_created is site
 * local time, used only when the GMT one is absent); click =
 * meta_data[{key: CLICK_PARAM | _CLICK_PARAM | lc_click | _lc_click}].
 * Status: completed -> approved; processing, on-hold, pending and unknown
 * plugin statuses -> pending; refunded, cancelled, failed, trash -> reversed;
 * checkout-draft is not an order yet (ignored).
 */
import { jsonObjectBody, bodyText, type Fields } from "./shared/body";
import { buildConversion, type Source } from "./shared/conversion";
import { first, header, present, scalarText } from "./shared/fields";
import { verifyHmac } from "./shared/hmac";
import { clickParamNames } from "./shopify";
import type { ConversionStatus, ParseOptions, ParseResult, ProviderAdapter, RawRequest, VerifyResult, IntegrationSecrets } from "./types";

const SIGNATURE = "x-wc-webhook-signature";

/** The save-time ping: nothing but `webhook_id=<digits>`. */
export function isPing(req: RawRequest): boolean {
  const text = bodyText(req.body);
  return text !== null && /^webhook_id=\d{1,20}$/.test(text.trim());
}

function verify(req: RawRequest, secrets: IntegrationSecrets): VerifyResult {
  const sent = header(req.headers, SIGNATURE);
  if (sent === null && isPing(req)) return { ok: true };
  return verifyHmac(req.body, secrets.secret, [sent]);
}

function clickSource(order: Fields, names: string[]): Source {
  const meta = Array.isArray(order.meta_data) ? order.meta_data : [];
  for (const name of names.flatMap((n) => [n, `_${n}`])) {
    const hit = meta.find((m: unknown) => (m as Fields | null)?.key === name) as Fields | undefined;
    if (hit && present(hit.value) !== null) return { name: `meta_data.${name}`, value: hit.value };
  }
  return { name: "meta_data", value: null };
}

/** A Map, not an object literal: the status is the sender's word ("__proto__", "constructor" must not find anything). */
const STATUS = new Map<string, ConversionStatus>([
  ["completed", "approved"],
  ["processing", "pending"], ["on-hold", "pending"], ["pending", "pending"],
  ["refunded", "reversed"], ["cancelled", "reversed"], ["failed", "reversed"], ["trash", "reversed"],
]);

function parse(req: RawRequest, options?: ParseOptions): ParseResult {
  if (isPing(req)) return { ok: true, ignore: "woocommerce ping" };
  if (header(req.headers, SIGNATURE) === null) return { ok: false, reasons: ["unsigned request"] };
  const topic = header(req.headers, "x-wc-webhook-topic")?.toLowerCase() ?? null;
  if (topic === "order.deleted") return { ok: true, ignore: "woocommerce order.deleted carries only the id; cancel or refund the order to reverse it" };
  if (topic !== null && !topic.startsWith("order.")) return { ok: true, ignore: `woocommerce topic ${topic} carries no order` };
  const body = jsonObjectBody(req.body);
  if (!body.ok) return { ok: false, reasons: [body.reason] };
  const order = body.fields;
  const wcStatus = (scalarText(order.status) ?? "pending").toLowerCase();
  if (wcStatus === "checkout-draft") return { ok: true, ignore: "woocommerce draft order (checkout not finished)" };
  return buildConversion({
    orderRef: first(order, ["id", "number"]),
    amount: first(order, ["total"]),
    currency: first(order, ["currency"]),
    clickRef: clickSource(order, clickParamNames(options)),
    occurredAt: first(order, ["date_created_gmt", "date_created"]),
    status: STATUS.get(wcStatus) ?? "pending",
    testFlag: false,
    dedupeKey: header(req.headers, "x-wc-webhook-delivery-id"),
    topic,
  });
}

export const woocommerce: ProviderAdapter = {
  name: "woocommerce",
  methods: ["POST"],
  duplicateStatus: 200,
  identify: () => null,
  verify,
  parse,
};
