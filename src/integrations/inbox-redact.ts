/**
 * What the inbox may show of a request's headers and URL. Credentials are
 * never kept in clear, wherever they appear: the whole Authorization header
 * (a Basic *user* can be a brand key; the Impact integration that a Basic
 * user identified is on the row as integration_id), headers and parameters
 * named like secrets, and any `lc_*` key in any header or query value. Client
 * address headers are kept only as IP hashes. Signatures (HMAC outputs,
 * useless without the key) are kept so a replay can verify them again.
 */
const SIGNATURE_HEADER = /signature|hmac/i;
const SECRET_NAME = /secret|token|passw|api[-_]?key|^key$|auth|cookie|session|credential/i;
const CLIENT_IP_HEADER = /^(x-forwarded-for|x-real-ip|forwarded|cf-connecting-ip|true-client-ip|x-client-ip|x-cluster-client-ip|fastly-client-ip|x-original-forwarded-for)$/;
/** Our own key shapes (lc_live_, lc_test_, lc_admin_ and any future lc_<kind>_ with a long tail). */
const LC_KEY = /lc_(?:live|test|admin)_[A-Za-z0-9_-]*|lc_[a-z]+_[A-Za-z0-9_-]{16,}/gi;
/** The same keys percent-encoded, as a form body carries them (lc%5Flive%5F…). */
const LC_KEY_ENCODED = /lc(?:_|%5f)(?:live|test|admin)(?:_|%5f)(?:[A-Za-z0-9-]|_|%5f)*/gi;
export const REDACTED = "[redacted]";

export type IpHasher = (ip: string) => string | null;

function redactValue(value: string): string {
  return value.replace(LC_KEY, REDACTED);
}

function hashHops(value: string, hash: IpHasher): string {
  return value.split(",").map((hop) => hop.trim()).filter(Boolean).map((hop) => `ip-hash:${hash(hop) ?? ""}`).join(", ");
}

export function redactHeaders(headers: Headers, hashIp: IpHasher): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    const n = name.toLowerCase();
    if (n === "authorization") {
      out[n] = /^basic\s/i.test(value) ? `Basic user=${REDACTED} password=${REDACTED}` : REDACTED;
    } else if (CLIENT_IP_HEADER.test(n)) {
      out[n] = hashHops(value, hashIp);
    } else if (SECRET_NAME.test(n) && !SIGNATURE_HEADER.test(n)) {
      out[n] = REDACTED;
    } else {
      out[n] = redactValue(value);
    }
  });
  return out;
}

/**
 * The body excerpt kept of a request that never authenticated (shown to
 * admins, never replayed) without any `lc_*` key in it. Read as Latin-1 so
 * every other byte stays as sent; when something was redacted the excerpt is
 * shorter than body_bytes, so the row reads as an excerpt and cannot be replayed.
 */
export function redactExcerpt(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString("latin1");
  const out = text.replace(LC_KEY, REDACTED).replace(LC_KEY_ENCODED, REDACTED);
  return out === text ? bytes : Buffer.from(out, "latin1");
}

export function redactUrl(url: URL): string {
  const params = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(url.search)) params.append(redactValue(k), SECRET_NAME.test(k) ? REDACTED : redactValue(v));
  const q = params.toString();
  return redactValue(url.pathname) + (q ? `?${q}` : "");
}
