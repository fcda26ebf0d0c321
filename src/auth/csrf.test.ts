import { describe, expect, test } from "bun:test";
import { csrfValid } from "./csrf";

const req = (headers: Record<string, string> = {}) => new Request("https://x.test/admin/users", { method: "POST", headers });

describe("csrfValid", () => {
  test("accepts the session's token from the form field or the X-CSRF-Token header", () => {
    expect(csrfValid("tok-123", req(), new URLSearchParams({ _csrf: "tok-123" }))).toBe(true);
    expect(csrfValid("tok-123", req({ "x-csrf-token": "tok-123" }), null)).toBe(true);
  });
  test("refuses a missing, empty, wrong or differently sized token", () => {
    expect(csrfValid("tok-123", req(), null)).toBe(false);
    expect(csrfValid("tok-123", req(), new URLSearchParams({ _csrf: "" }))).toBe(false);
    expect(csrfValid("tok-123", req(), new URLSearchParams({ _csrf: "tok-124" }))).toBe(false);
    expect(csrfValid("tok-123", req(), new URLSearchParams({ _csrf: "tok-1234" }))).toBe(false);
  });
  test("a wrong header is not rescued by a right form field (the header is what htmx sends)", () => {
    expect(csrfValid("tok-123", req({ "x-csrf-token": "nope" }), new URLSearchParams({ _csrf: "tok-123" }))).toBe(false);
  });
});
