/**
 * Shopify order webhooks. `X-Shopify-Hmac-Sha256` is base64
 * HMAC-SHA256(raw body, app client secret); the topic is in `X-Shopify-Topic`
 * and `X-Shopify-Webhook-Id` is the same on every retry of one delivery.
 *
 * Order topics (orders/create, orders/updated, orders/paid, orders/cancelled,
 * orders/fulfilled, orders/partially_fulfilled) carry the whole order:
 *   orderRef = id (exact, it exceeds 2^53), else name; amount = total_price;
 *   currency = currency (the shop's); occurredAt = created_at; test = test;
 *   click = note_attributes[{name: CLICK_PARAM|lc_click}] (written at checkout
 *   from the click cookie, so it is the last click), else the CLICK_PARAM
 *   query parameter of landing_site.
 * Status: cancelled (orders/cancelled or cancelled_at set) or financial_status
 * refunded/voided -> reversed; everything else -> pending. A captured payment
 * is not an approval: approval is the network's review (SPEC §7).
 * refunds/create carries only the refund, not the order total, so it cannot
 * tell a full refund from a partial one: it is ignored, and the orders/updated
 * that Shopify sends with financial_status "refunded" does the reversal.
 */
import { jsonObjectBody, type Fields } from "./shared/body";
import { buildConversion, type Source } from "./shared/conversion";
import { first, flag, header, present, scalarText } from "./shared/fields";
import { verifyHmac } from "./shared/hmac";
import type { ConversionStatus, ParseOptions, ParseResult, ProviderAdapter, RawRequest } from "./types";

const ORDER_TOPICS = new Set([
  "orders/create", "orders/updated", "orders/paid", "orders/cancelled", "orders/fulfilled", "orders/partially_fulfilled",
]);

export function clickParamNames(options?: ParseOptions): string[] {
  const names = [options?.clickParam, "lc_click"].filter((n): n is string => Boolean(n));
  return [...new Set(names)];
}

/** The click id from a landing URL ("/products/x?lc_click=abc&utm_source=y" or absolute). */
export function clickFromUrl(url: string, names: string[]): string | null {
  const q = url.indexOf("?");
  if (q < 0) return null;
  const params = new URLSearchParams(url.slice(q + 1).split("#")[0]);
  for (const name of names) {
    const v = params.get(name);
    if (v !== null && present(v) !== null) return v;
  }
  return null;
}

function clickSource(order: Fields, names: string[]): Source {
  const attrs = Array.isArray(order.note_attributes) ? order.note_attributes : [];
  for (const name of names) {
    const hit = attrs.find((a: unknown) => (a as Fields | null)?.name === name) as Fields | undefined;
    if (hit && present(hit.value) !== null) return { name: `note_attributes.${name}`, value: hit.value };
  }
  const landing = scalarText(order.landing_site);
  return { name: "landing_site", value: landing === null ? null : clickFromUrl(landing, names) };
}

function orderStatus(order: Fields, topic: string | null): ConversionStatus {
  if (topic === "orders/cancelled" || present(order.cancelled_at) !== null) return "reversed";
  const financial = (scalarText(order.financial_status) ?? "").toLowerCase();
  return financial === "refunded" || financial === "voided" ? "reversed" : "pending";
}

function parse(req: RawRequest, options?: ParseOptions): ParseResult {
  const topic = header(req.headers, "x-shopify-topic")?.toLowerCase() ?? null;
  if (topic === "refunds/create") {
    return { ok: true, ignore: "shopify refunds/create: a full refund arrives as orders/updated with financial_status refunded" };
  }
  if (topic !== null && !ORDER_TOPICS.has(topic)) return { ok: true, ignore: `shopify topic ${topic} carries no order` };
  const body = jsonObjectBody(req.body);
  if (!body.ok) return { ok: false, reasons: [body.reason] };
  const order = body.fields;
  return buildConversion({
    orderRef: first(order, ["id", "name"]),
    amount: first(order, ["total_price"]),
    currency: first(order, ["currency"]),
    clickRef: clickSource(order, clickParamNames(options)),
    occurredAt: first(order, ["created_at", "processed_at"]),
    status: orderStatus(order, topic),
    testFlag: flag(order.test),
    dedupeKey: header(req.headers, "x-shopify-webhook-id"),
    topic,
  });
}

export const shopify: ProviderAdapter = {
  name: "shopify",
  methods: ["POST"],
  duplicateStatus: 200,
  identify: () => null,
  verify: (req, secrets) => verifyHmac(req.body, secrets.secret, [header(req.headers, "x-shopify-hmac-sha256")]),
  parse,
};
