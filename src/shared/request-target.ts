/**
 * Routing reads the path of request.url and nothing else. Two things made the
 * Host header matter: Elysia finds the path with `url.indexOf("/", 11)`,
 * which assumes an authority of at least four characters ("http://x/a/b"
 * routes as "/b"), and Bun hands over a bare "/path" as request.url when the
 * Host header is not a valid host, which `new URL()` refuses.
 */

/** Index in request.url where the path starts: after "scheme://authority", or 0 for a bare path. */
export function pathStart(url: string): number {
  if (url.charCodeAt(0) === 47 /* "/" */) return 0;
  const scheme = url.indexOf("://");
  if (scheme < 0) return 0;
  const slash = url.indexOf("/", scheme + 3);
  return slash < 0 ? url.length : slash;
}

/** The path of request.url (no query, no fragment), "/" when empty. */
export function pathOf(url: string): string {
  const start = pathStart(url);
  let end = url.indexOf("?", start);
  if (end < 0) end = url.indexOf("#", start);
  const path = url.slice(start, end < 0 ? undefined : end);
  return path === "" ? "/" : path;
}

/** The raw query string of request.url, without "?" ("" when none). */
export function queryOf(url: string): string {
  const q = url.indexOf("?", pathStart(url));
  if (q < 0) return "";
  const hash = url.indexOf("#", q);
  return url.slice(q + 1, hash < 0 ? undefined : hash);
}

/** Where requests with an unusable or too-short authority are re-addressed; routing never looks at it. */
const STAND_IN = "http://localhost";

/**
 * The request the router should see: the same request when its URL already
 * splits where the framework expects (every ordinary request, no copy), else
 * a copy addressed to a stand-in origin with the same path, query, method,
 * headers and body. `onCopy` lets the caller carry per-request state (the
 * socket peer) over to the copy.
 */
export function routable(request: Request, onCopy?: (copy: Request) => void): Request {
  const url = request.url;
  const start = pathStart(url);
  if (start > 0 && start === url.indexOf("/", 11)) return request;
  const copy = new Request(STAND_IN + (start >= url.length ? "/" : url.slice(start)), request);
  onCopy?.(copy);
  return copy;
}
