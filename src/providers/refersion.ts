/**
 * Refersion conversion webhooks (New Conversion, Conversion Approved,
 * Conversion Denied). POST JSON; `Refersion-Signature` is base64
 * HMAC-SHA256(body, webhook signing secret). The same order is re-delivered
 * as its status changes, so the order id is the key and the status moves.
 *
 * Payload fields used: order_id (else the conversion id `id`), total,
 * commission_total, currency, status (PENDING | APPROVED | DENIED |
 * UNQUALIFIED), is_test_conversion, created ("2020-02-14 18:48:42", UTC),
 * click.sub_id (else top-level sub_id).
 */
import { jsonObjectBody } from "./shared/body";
import { buildConversion } from "./shared/conversion";
import { at, first, flag, header, present } from "./shared/fields";
import { verifyHmac } from "./shared/hmac";
import { statusFrom } from "./shared/status";
import type { ParseResult, ProviderAdapter, RawRequest } from "./types";

/** Refersion-Topic values that carry a conversion (NEW_CONVERSION, APPROVED_CONVERSION, DENIED_CONVERSION). */
function isConversionTopic(topic: string | null): boolean {
  return topic === null || (/CONVERSION/i.test(topic) && !/TRIGGER/i.test(topic));
}

function parse(req: RawRequest): ParseResult {
  const topic = header(req.headers, "refersion-topic");
  if (!isConversionTopic(topic)) return { ok: true, ignore: `refersion topic ${topic} carries no conversion` };
  const body = jsonObjectBody(req.body);
  if (!body.ok) return { ok: false, reasons: [body.reason] };
  const b = body.fields;
  const nestedClick = at(b, "click", "sub_id");
  return buildConversion({
    orderRef: first(b, ["order_id", "id"]),
    amount: first(b, ["total", "order_total"]),
    currency: first(b, ["currency", "currency_code"]),
    clickRef: present(nestedClick) !== null ? { name: "click.sub_id", value: nestedClick } : { name: "sub_id", value: b.sub_id },
    commission: first(b, ["commission_total", "commission"]),
    occurredAt: first(b, ["created", "created_at"]),
    status: statusFrom("status", b.status),
    testFlag: flag(b.is_test_conversion),
    topic,
  });
}

export const refersion: ProviderAdapter = {
  name: "refersion",
  methods: ["POST"],
  duplicateStatus: 409,
  identify: () => null,
  verify: (req, secrets) => verifyHmac(req.body, secrets.secret, [
    header(req.headers, "refersion-signature"), header(req.headers, "x-rfc-signature"),
  ]),
  parse,
};
