/**
 * The generic webhook: our own contract for platforms we do not know.
 * POST JSON {vendor_id, order_id, order_total, commission_total, currency,
 * submission_id, occurred_at, status?, test?} with the integration's shared
 * secret in `x-lastclick-secret` (stored only as a hash: compared by
 * secretMatches). submission_id is the click id.
 */
import { jsonObjectBody, parseJsonExact, bodyText, isObject } from "./shared/body";
import { buildConversion } from "./shared/conversion";
import { first, flag, header, present } from "./shared/fields";
import { safeEqual } from "../auth/secrets";
import { statusFrom } from "./shared/status";
import type { IntegrationSecrets, ParseResult, ProviderAdapter, RawRequest, VerifyResult } from "./types";

/** vendor_id from the body, read leniently (it only picks the integration; verify still decides). */
function identify(req: RawRequest): string | null {
  const text = bodyText(req.body);
  if (text === null) return null;
  try {
    const v = parseJsonExact(text);
    return isObject(v) ? present(v.vendor_id) : null;
  } catch { return null; }
}

function verify(req: RawRequest, secrets: IntegrationSecrets): VerifyResult {
  const sent = header(req.headers, "x-lastclick-secret");
  if (sent === null) return { ok: false, reason: "missing signature" };
  if (!secrets.secretMatches) return { ok: false, reason: "no shared secret configured" };
  if (!secrets.secretMatches(sent)) return { ok: false, reason: "bad secret" };
  // An integration chosen by &i=ID must not accept another vendor's body.
  const vendor = identify(req);
  if (secrets.vendorId && vendor !== null && !safeEqual(vendor, secrets.vendorId)) {
    return { ok: false, reason: "vendor_id does not match the integration" };
  }
  return { ok: true };
}

function parse(req: RawRequest): ParseResult {
  const body = jsonObjectBody(req.body);
  if (!body.ok) return { ok: false, reasons: [body.reason] };
  const b = body.fields;
  return buildConversion({
    orderRef: first(b, ["order_id"]),
    amount: first(b, ["order_total"]),
    currency: first(b, ["currency"]),
    clickRef: first(b, ["submission_id"]),
    commission: first(b, ["commission_total"]),
    occurredAt: first(b, ["occurred_at"]),
    status: statusFrom("status", b.status),
    testFlag: flag(b.test) || flag(b.is_test),
  });
}

export const generic: ProviderAdapter = {
  name: "generic",
  methods: ["POST"],
  duplicateStatus: 409,
  identify,
  verify,
  parse,
};
