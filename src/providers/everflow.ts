/**
 * Everflow partner postbacks: an unsigned GET (or POST JSON/form) whose only
 * credential is where it comes from, so verify checks the caller-resolved
 * client address against the integration's allowlist. There is no order id in
 * a partner postback: the key is transaction_id + ":" + event, where event is
 * `event`, else `event_id`, else `event_name`, else "conversion" (event_id 0
 * is the base conversion). Fields: transaction_id, sub1 (click id),
 * sale_amount|amount, payout|payout_amount, status
 * (approved | pending | rejected | invalid), conversion_unix_timestamp|timestamp|date.
 * Partner postbacks carry no currency: amounts are in the integration's
 * currency, else the program's (options.defaultCurrency); a `currency`
 * parameter, when the partner adds one to the URL, is read and checked.
 */
import { queryAndBody, type Fields } from "./shared/body";
import { buildConversion, type Source } from "./shared/conversion";
import { flag, lookup, present } from "./shared/fields";
import { statusFrom } from "./shared/status";
import type { IntegrationSecrets, ParseOptions, ParseResult, ProviderAdapter, RawRequest, VerifyResult } from "./types";

function verify(req: RawRequest, secrets: IntegrationSecrets): VerifyResult {
  if (!secrets.ipAllowed) return { ok: false, reason: "no IP allowlist configured" };
  if (!req.peerIp) return { ok: false, reason: "client address unknown" };
  return secrets.ipAllowed(req.peerIp) ? { ok: true } : { ok: false, reason: "address not on the allowlist" };
}

function eventName(f: Fields): string {
  for (const name of ["event", "event_id", "event_name"]) {
    const v = present(lookup(f, [name]).value);
    if (v !== null && !(name === "event_id" && v.trim() === "0")) return v;
  }
  return "conversion";
}

function currencySource(f: Fields, options?: ParseOptions): Source {
  const sent = lookup(f, ["currency"]);
  if (present(sent.value) !== null || !options?.defaultCurrency) return sent;
  return { name: "integration currency", value: options.defaultCurrency };
}

function parse(req: RawRequest, options?: ParseOptions): ParseResult {
  const read = queryAndBody(req);
  if (!read.ok) return { ok: false, reasons: [read.reason] };
  const f = read.fields;
  const tx = lookup(f, ["transaction_id"]);
  const txText = present(tx.value);
  const status = lookup(f, ["status", "conversion_status"]);
  return buildConversion({
    orderRef: txText === null ? tx : { name: tx.name, value: `${txText}:${eventName(f)}` },
    amount: lookup(f, ["sale_amount", "amount", "revenue"]),
    currency: currencySource(f, options),
    clickRef: lookup(f, ["sub1"]),
    commission: lookup(f, ["payout", "payout_amount"]),
    occurredAt: lookup(f, ["conversion_unix_timestamp", "timestamp", "date", "conversion_date"]),
    status: statusFrom(status.name, status.value),
    testFlag: flag(lookup(f, ["test", "is_test"]).value),
    topic: eventName(f),
  });
}

export const everflow: ProviderAdapter = {
  name: "everflow",
  methods: ["GET", "POST"],
  duplicateStatus: 200,
  identify: () => null,
  verify,
  parse,
};
