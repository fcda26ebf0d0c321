import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "./config";

describe("loadConfig", () => {
  test("safe defaults", () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe("file:./data/lastclick.db");
    expect(c.CLICK_PARAM).toBe("lc_click");
    expect(c.PORT).toBe(8080);
    expect(c.PUBLIC_URL).toBe("http://localhost:8080");
    expect(c.TRUSTED_PROXIES).toEqual([]);
    expect(c.COOKIE_DOMAIN).toBeUndefined();
  });
  test("flags win over environment", () => {
    const c = loadConfig({ PORT: "1000", CLICK_PARAM: "irclickid" }, ["--port", "2000", "--public-url=https://t.example/"]);
    expect(c.PORT).toBe(2000);
    expect(c.CLICK_PARAM).toBe("irclickid");
    expect(c.PUBLIC_URL).toBe("https://t.example");
  });
  test.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PUBLIC_URL: "javascript:alert(1)" }, "PUBLIC_URL"],
    [{ CLICK_PARAM: "a b" }, "CLICK_PARAM"],
    [{ CLICK_MAX_UNWRITTEN: "0" }, "CLICK_MAX_UNWRITTEN"],
    [{ DATABASE_URL: "postgres://x" }, "DATABASE_URL"],
    [{ TRUSTED_PROXIES: "10.0.0.1,not-an-ip" }, "TRUSTED_PROXIES"],
    [{ TRUSTED_PROXIES: "2001:db8::/32" }, "TRUSTED_PROXIES"],
    [{ NETWORK_TIMEZONE: "Mars/Olympus" }, "NETWORK_TIMEZONE"],
  ])("rejects %p naming the field", (env, field) => {
    expect(() => loadConfig(env as Record<string, string>)).toThrow(ConfigError);
    expect(() => loadConfig(env as Record<string, string>)).toThrow(field as string);
  });
});
