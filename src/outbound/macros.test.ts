import { describe, expect, test } from "bun:test";
import { renderUrl, templateProblems, MACROS, type MacroValues } from "./macros";
import { BACKOFF_MS, MAX_ATTEMPTS, nextAttemptAt } from "./policy";
import { signature } from "./send";

const values = Object.fromEntries(MACROS.map((m) => [m, ""])) as MacroValues;

describe("templateProblems", () => {
  test.each([
    ["https://pub.example/pb?c={click_id}&p={payout}", []],
    ["http://127.0.0.1:9000/{conversion_id}/{event}", []],
    ["https://pub.example/pb?c={clickid}", ["unknown macro {clickid}"]],
    ["https://pub.example/pb?c={constructor}&d={hasOwnProperty}", ["unknown macros {constructor}, {hasOwnProperty}"]],
    ["https://{sub1}.pub.example/", ["not in the host"]],
    ["https://pub.example:{sub1}/", ["absolute http"]], // a macro port is no port at all
    ["https://pub.example/{click_id", ["unmatched"]],
    ["https://pub.example/}", ["unmatched"]],
    ["javascript:alert(1)", ["absolute http"]],
    ["https:pub.example/x", ["must start with"]],
    ["https://pub.example/\tx", ["spaces or control"]],
  ] as const)("%s", (url, expected) => {
    const problems = templateProblems(url);
    if (expected.length === 0) expect(problems).toEqual([]);
    for (const e of expected) expect(problems.join(" | ")).toContain(e);
  });
});

describe("renderUrl", () => {
  test("values are URL-encoded and cannot add parameters or path segments", () => {
    const url = renderUrl("https://pub.example/pb/{sub1}?s2={sub2}&o={order_ref}", { ...values, sub1: "../admin", sub2: "a&evil=1#x", order_ref: "ORD 1/2" });
    expect(url).toBe("https://pub.example/pb/..%2Fadmin?s2=a%26evil%3D1%23x&o=ORD%201%2F2");
    expect(new URL(url).searchParams.get("s2")).toBe("a&evil=1#x");
  });
  test("a name that is not a macro is left as written, even one that names an Object member", () => {
    expect(renderUrl("https://pub.example/?a={constructor}&b={toString}&c={click_id}", { ...values, click_id: "k" }))
      .toBe("https://pub.example/?a={constructor}&b={toString}&c=k");
  });
  test("absent values render empty", () => {
    expect(renderUrl("https://pub.example/?s={sub5}", values)).toBe("https://pub.example/?s=");
  });
});

describe("retry policy", () => {
  test("backoff after each failure, dead after the last", () => {
    const waits = Array.from({ length: MAX_ATTEMPTS }, (_, i) => nextAttemptAt(0, i + 1));
    expect(waits).toEqual([...BACKOFF_MS, null]);
    expect(BACKOFF_MS.slice(0, 5)).toEqual([30_000, 120_000, 600_000, 3_600_000, 21_600_000]);
  });
});

test("signature is sha256=<hex HMAC-SHA256 of the body>", () => {
  // RFC 4231 test case 2.
  expect(signature("Jefe", "what do ya want for nothing?")).toBe("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
});
