/**
 * impact.com postbacks (Action Lifecycle / partner postback URLs). GET with
 * the values in the query string (Impact's default), or POST JSON/form. The
 * operator types the parameter names into the postback URL template, so names
 * are matched case- and underscore-insensitively with common aliases:
 *   OrderId|Oid|order_id (else ActionId), Amount|SaleAmount|IntendedAmount,
 *   Currency|CurrencyCode, Status|ActionStatus|State, Payout, SubId1,
 *   EventDate|ActionDate|CreationDate, Test|IsTest.
 * Auth: HTTP Basic (account SID + AuthToken) and/or `token` in the URL; when
 * both are configured both must pass. Reversals arrive as re-deliveries.
 */
import { safeEqual } from "../auth/secrets";
import { queryAndBody } from "./shared/body";
import { buildConversion } from "./shared/conversion";
import { flag, header, lookup } from "./shared/fields";
import { statusFrom } from "./shared/status";
import type { IntegrationSecrets, ParseResult, ProviderAdapter, RawRequest, VerifyResult } from "./types";

export function basicCredentials(req: RawRequest): { user: string; password: string } | null {
  const auth = header(req.headers, "authorization");
  const m = auth && /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(auth);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function verify(req: RawRequest, secrets: IntegrationSecrets): VerifyResult {
  const wantBasic = Boolean(secrets.basicUser && secrets.basicPasswordMatches);
  const wantToken = Boolean(secrets.urlTokenMatches);
  if (!wantBasic && !wantToken) return { ok: false, reason: "no credentials configured" };
  if (wantBasic) {
    const cred = basicCredentials(req);
    if (!cred) return { ok: false, reason: "missing credentials" };
    const userOk = safeEqual(cred.user, secrets.basicUser!);
    const passOk = secrets.basicPasswordMatches!(cred.password);
    if (!userOk || !passOk) return { ok: false, reason: "bad credentials" };
  }
  if (wantToken) {
    const token = req.query.get("token");
    if (!token) return { ok: false, reason: "missing token" };
    if (!secrets.urlTokenMatches!(token)) return { ok: false, reason: "bad token" };
  }
  return { ok: true };
}

function parse(req: RawRequest): ParseResult {
  const read = queryAndBody(req);
  if (!read.ok) return { ok: false, reasons: [read.reason] };
  const f = read.fields;
  const status = lookup(f, ["Status", "ActionStatus", "State"]);
  return buildConversion({
    orderRef: lookup(f, ["OrderId", "Oid", "ActionId"]),
    amount: lookup(f, ["Amount", "SaleAmount", "IntendedAmount"]),
    currency: lookup(f, ["Currency", "CurrencyCode"]),
    clickRef: lookup(f, ["SubId1"]),
    commission: lookup(f, ["Payout"]),
    occurredAt: lookup(f, ["EventDate", "ActionDate", "CreationDate"]),
    status: statusFrom(status.name, status.value),
    testFlag: flag(lookup(f, ["Test", "IsTest"]).value),
    topic: null,
  });
}

export const impact: ProviderAdapter = {
  name: "impact",
  methods: ["GET", "POST"],
  duplicateStatus: 200,
  identify: (req) => basicCredentials(req)?.user || null,
  verify,
  parse,
};
