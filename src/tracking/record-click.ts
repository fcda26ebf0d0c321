import type { Config } from "../config";
import { uuidv7 } from "../shared/ids";
import { detectBot } from "./bots";
import type { ClickBuffer, ClickRow } from "./click-buffer";
import { clientIp, type ProxyMatcher } from "./client-ip";
import { appendParams } from "./dest-url";
import { countryFromHeader, type CountryLookup } from "./geo";
import { hashIp } from "./ip-hash";
import type { ResolvedLink } from "./link-resolver";

export interface ClickDeps {
  config: Pick<Config, "CLICK_PARAM" | "COOKIE_DOMAIN" | "COUNTRY_HEADER">;
  clicks: ClickBuffer;
  ipHashSecret: string;
  geo: CountryLookup;
  trustedProxies: ProxyMatcher;
}

export interface ClickRequest {
  method: string;
  headers: Headers;
  query: URLSearchParams;
  peerIp: string | null;
  now: number;
}

const UTM_KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;
const SUB_KEYS = ["sub1", "sub2", "sub3", "sub4", "sub5"] as const;

/** Caps free-text tracking values so a hostile link cannot bloat the table. */
const cap = (v: string | null, n = 512) => (v === null || v === "" ? null : v.slice(0, n));

/**
 * Records one click (into the buffer, not awaited) and builds the 302: click id
 * as key, cookie value and URL parameter; extra params (vendor UTM tags,
 * pass-through sub-ids) merged into the destination.
 */
export function recordClick(
  deps: ClickDeps, link: ResolvedLink, req: ClickRequest,
  extra: { via: ClickRow["via"]; forcedParams?: [string, string][] } = { via: "link" },
): Response | Promise<Response> {
  const q = req.query;
  const forced = new Map(extra.forcedParams ?? []);
  const value = (k: string) => cap(forced.get(k) ?? q.get(k));
  const ip = clientIp(req.peerIp, req.headers.get("x-forwarded-for"), deps.trustedProxies);
  const headerCountry = deps.config.COUNTRY_HEADER ? countryFromHeader(req.headers.get(deps.config.COUNTRY_HEADER)) : null;
  const userAgent = cap(req.headers.get("user-agent"), 1024);
  const botReason = detectBot(req.method, userAgent, req.headers);
  const id = uuidv7(req.now);
  const row: ClickRow = {
    id, approvalId: link.approvalId, programId: link.programId, publisherId: link.publisherId, createdAt: req.now,
    ipHash: hashIp(deps.ipHashSecret, ip), userAgent, country: headerCountry ?? deps.geo.country(ip),
    referrer: cap(req.headers.get("referer"), 1024),
    utmSource: value("utm_source"), utmMedium: value("utm_medium"), utmCampaign: value("utm_campaign"),
    utmTerm: value("utm_term"), utmContent: value("utm_content"),
    sub1: value("sub1"), sub2: value("sub2"), sub3: value("sub3"), sub4: value("sub4"), sub5: value("sub5"),
    refCode: cap(q.get("ref"), 128), isBot: botReason !== null, botReason, via: extra.via,
  };

  const params: [string, string][] = [];
  if (link.passThroughParams) {
    for (const k of [...SUB_KEYS, ...UTM_KEYS]) if (!forced.has(k) && row[toField(k)]) params.push([k, row[toField(k)] as string]);
  }
  for (const [k, v] of forced) params.push([k, v]);
  params.push([deps.config.CLICK_PARAM, id]);

  const cookie = `${deps.config.CLICK_PARAM}=${id}; ${deps.config.COOKIE_DOMAIN ? `Domain=${deps.config.COOKIE_DOMAIN}; ` : ""}` +
    `Max-Age=${link.cookieMaxAgeSeconds}; HttpOnly; Secure; SameSite=Lax; Path=/`;
  const response = new Response(null, {
    status: 302,
    headers: { location: appendParams(link.destUrl, params), "set-cookie": cookie, "cache-control": "private, no-store" },
  });
  const waiting = deps.clicks.add(row);
  return waiting ? waiting.then(() => response) : response;
}

function toField(k: (typeof UTM_KEYS)[number] | (typeof SUB_KEYS)[number]): keyof ClickRow {
  return k.startsWith("utm_") ? (("utm" + k[4]!.toUpperCase() + k.slice(5)) as keyof ClickRow) : (k as keyof ClickRow);
}
