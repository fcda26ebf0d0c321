import type { Config } from "../config";
import { uuidv7 } from "../shared/ids";
import { detectBot } from "./bots";
import type { ClickBuffer, ClickRow } from "./click-buffer";
import { clientIp, type ProxyMatcher } from "./client-ip";
import { appendParams } from "./dest-url";
import { countryFromHeader, type CountryLookup } from "./geo";
import type { ResolvedLink } from "./link-resolver";

export interface ClickDeps {
  config: Pick<Config, "CLICK_PARAM" | "COOKIE_DOMAIN" | "COUNTRY_HEADER">;
  clicks: ClickBuffer;
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

/** The routing decision a smart link stores with its click, and the country it already looked up to route. */
export interface SmartRoute { smartLinkId: string; rubricVersion: number; score: number; criteria: string; country: string | null }
type Extra = { via: ClickRow["via"]; forcedParams?: [string, string][]; route?: SmartRoute };
type TrackedKey = "sub1" | "sub2" | "sub3" | "sub4" | "sub5" | "utm_source" | "utm_medium" | "utm_campaign" | "utm_term" | "utm_content";

/** Query keys a program may pass through to its destination, in that order, with their row fields. */
const PASS_THROUGH: [TrackedKey, keyof ClickRow][] = [
  ["sub1", "sub1"], ["sub2", "sub2"], ["sub3", "sub3"], ["sub4", "sub4"], ["sub5", "sub5"],
  ["utm_source", "utmSource"], ["utm_medium", "utmMedium"], ["utm_campaign", "utmCampaign"], ["utm_term", "utmTerm"], ["utm_content", "utmContent"],
];
const LINK: Extra = { via: "link" };

/** Caps free-text tracking values so a hostile link cannot bloat the table. */
const cap = (v: string | null | undefined, n = 512) => (v === null || v === undefined || v === "" ? null : v.slice(0, n));

/**
 * Records one click (into the buffer, not awaited) and builds the 302: click id
 * as key, cookie value and URL parameter; extra params (vendor UTM tags,
 * pass-through sub-ids) merged into the destination.
 */
export function recordClick(deps: ClickDeps, link: ResolvedLink, req: ClickRequest, extra: Extra = LINK): Response | Promise<Response> {
  const q = req.query.size > 0 ? req.query : null;
  const forced = extra.forcedParams?.length ? new Map(extra.forcedParams) : null;
  const value = (k: TrackedKey) => cap(forced?.get(k) ?? q?.get(k));
  const ip = clientIp(req.peerIp, req.headers.get("x-forwarded-for"), deps.trustedProxies);
  const route = extra.route;
  // A smart link has looked the country up already (it routes on it): nothing left to defer.
  const headerCountry = route ? route.country
    : deps.config.COUNTRY_HEADER ? countryFromHeader(req.headers.get(deps.config.COUNTRY_HEADER)) : null;
  const userAgent = cap(req.headers.get("user-agent"), 1024);
  const botReason = detectBot(req.method, userAgent, req.headers);
  // The IP's keyed hash (salt of the day) and country are computed when the row is written, on the writer
  // thread if there is one (nothing reads them before the write). A buffer without IP work stores neither.
  const deferIp = deps.clicks.defersIpWork;
  const id = uuidv7(req.now);
  const row: ClickRow = {
    id, approvalId: link.approvalId, programId: link.programId, publisherId: link.publisherId, createdAt: req.now,
    ipHash: null, userAgent, country: headerCountry ?? (deferIp ? null : deps.geo.country(ip)),
    referrer: cap(req.headers.get("referer"), 1024),
    utmSource: value("utm_source"), utmMedium: value("utm_medium"), utmCampaign: value("utm_campaign"),
    utmTerm: value("utm_term"), utmContent: value("utm_content"),
    sub1: value("sub1"), sub2: value("sub2"), sub3: value("sub3"), sub4: value("sub4"), sub5: value("sub5"),
    refCode: cap(q?.get("ref"), 128), isBot: botReason !== null, botReason, via: extra.via,
    smartLinkId: route?.smartLinkId ?? null, rubricVersion: route?.rubricVersion ?? null,
    routeScore: route?.score ?? null, routeCriteria: route?.criteria ?? null,
  };

  const cookie = `${deps.config.CLICK_PARAM}=${id}; ${deps.config.COOKIE_DOMAIN ? `Domain=${deps.config.COOKIE_DOMAIN}; ` : ""}` +
    `Max-Age=${link.cookieMaxAgeSeconds}; HttpOnly; Secure; SameSite=Lax; Path=/`;
  const response = new Response(null, {
    status: 302,
    headers: { location: destination(deps.config.CLICK_PARAM, link, row, forced), "set-cookie": cookie, "cache-control": "private, no-store" },
  });
  const waiting = deferIp ? deps.clicks.add(row, { ip, country: !route && headerCountry === null }) : deps.clicks.add(row);
  return waiting ? waiting.then(() => response) : response;
}

/** The destination with pass-through values, forced params and the click id merged in (dest-url.ts rules). */
function destination(clickParam: string, link: ResolvedLink, row: ClickRow, forced: Map<string, string> | null): string {
  const params: [string, string][] = [];
  if (link.passThroughParams) {
    for (const [k, field] of PASS_THROUGH) if (!forced?.has(k) && row[field]) params.push([k, row[field] as string]);
  }
  if (forced) for (const [k, v] of forced) params.push([k, v]);
  if (params.length === 0) return clickOnly(link.destUrl, clickParam, row.id);
  params.push([clickParam, row.id]);
  return appendParams(link.destUrl, params);
}

/**
 * The common case, only the click id to add: appendParams(destUrl, [[param, ""]])
 * computed once per destination, then the id (hex and dashes, nothing to
 * encode) goes where the empty value was, before the fragment. Same bytes as
 * appendParams, without re-parsing the URL on every redirect.
 */
const templates = new Map<string, [string, string]>();
export function clickOnly(destUrl: string, clickParam: string, id: string): string {
  const key = `${clickParam}\n${destUrl}`;
  let t = templates.get(key);
  if (!t) {
    const empty = appendParams(destUrl, [[clickParam, ""]]);
    const hashAt = destUrl.indexOf("#");
    const fragment = hashAt >= 0 ? destUrl.slice(hashAt) : "";
    t = [empty.slice(0, empty.length - fragment.length), fragment];
    if (templates.size >= 10_000) templates.clear();
    templates.set(key, t);
  }
  return t[0] + id + t[1];
}
