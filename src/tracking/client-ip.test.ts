import { describe, expect, test } from "bun:test";
import { clientIp, proxyMatcher } from "./client-ip";

describe("clientIp", () => {
  const none = proxyMatcher([]);
  const proxies = proxyMatcher(["10.0.0.0/8", "192.0.2.1", "::1"]);
  test("no trusted proxy: X-Forwarded-For is ignored", () => {
    expect(clientIp("203.0.113.9", "1.2.3.4", none)).toBe("203.0.113.9");
  });
  test("trusted proxy: right-most untrusted hop", () => {
    expect(clientIp("10.1.2.3", "1.2.3.4, 198.51.100.7, 10.0.0.5", proxies)).toBe("198.51.100.7");
  });
  test("untrusted peer cannot forge", () => {
    expect(clientIp("198.51.100.1", "10.0.0.1, 1.1.1.1", proxies)).toBe("198.51.100.1");
  });
  test("IPv4-mapped IPv6 peers match IPv4 entries", () => {
    expect(clientIp("::ffff:192.0.2.1", "203.0.113.5", proxies)).toBe("203.0.113.5");
  });
  test("garbage in X-Forwarded-For stops at the last good hop", () => {
    expect(clientIp("192.0.2.1", "not-an-ip", proxies)).toBe("192.0.2.1");
  });
  test("CIDRs above 128.0.0.0 match (unsigned arithmetic)", () => {
    const m = proxyMatcher(["198.51.100.0/24", "203.0.113.128/25"]);
    expect(m("198.51.100.7")).toBe(true);
    expect(m("198.51.101.7")).toBe(false);
    expect(m("203.0.113.200")).toBe(true);
    expect(m("203.0.113.5")).toBe(false);
  });
  test("no peer -> null", () => expect(clientIp(null, "1.2.3.4", proxies)).toBeNull());
});
