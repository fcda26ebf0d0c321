import { safeEqual } from "./secrets";

/** Methods that change state: each needs the session's CSRF token. */
export const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Per-session synchronizer token: sent back as the `_csrf` form field or the
 * `X-CSRF-Token` header (htmx sets it from hx-headers on <body>). Compared in
 * constant time; a missing token never matches.
 */
export function csrfValid(expected: string, request: Request, form: URLSearchParams | null): boolean {
  const sent = request.headers.get("x-csrf-token") ?? form?.get("_csrf") ?? "";
  return sent.length > 0 && safeEqual(sent, expected);
}
