import { describe, expect, test } from "bun:test";
import { isCurrent, safeNext } from "./nav";

describe("safeNext (no open redirect after login)", () => {
  test.each(["/admin/users", "/admin/users?sort=email&dir=asc", "/dashboard/brand#top"])("keeps the same-origin path %s", (p) => {
    expect(safeNext(p)).toBe(p);
  });
  test.each([
    "//evil.example", "///evil.example", "/\\evil.example", "https://evil.example/", "http:/evil.example", "javascript:alert(1)",
    "evil.example", "", "/\u0000x", "/a\nb", "\\\\evil.example",
  ])("refuses %p", (p) => {
    expect(safeNext(p)).toBeNull();
  });
  test("null and undefined are no next", () => {
    expect(safeNext(null)).toBeNull();
    expect(safeNext(undefined)).toBeNull();
  });
});

describe("isCurrent", () => {
  test("an overview is current only on itself; other links also below themselves", () => {
    expect(isCurrent({ href: "/admin", label: "" }, "/admin/users")).toBe(false);
    expect(isCurrent({ href: "/admin", label: "" }, "/admin")).toBe(true);
    expect(isCurrent({ href: "/admin/users", label: "" }, "/admin/users/1")).toBe(true);
    expect(isCurrent({ href: "/admin/users", label: "" }, "/admin/usersx")).toBe(false);
  });
});
