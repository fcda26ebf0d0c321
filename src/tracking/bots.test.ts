import { describe, expect, test } from "bun:test";
import { detectBot } from "./bots";

const h = (o: Record<string, string> = {}) => new Headers(o);
describe("detectBot", () => {
  test.each([
    ["Slack preview", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"],
    ["Facebook", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"],
    ["Twitter", "Twitterbot/1.0"],
    ["WhatsApp", "WhatsApp/2.23.20.0"],
    ["Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"],
    ["curl", "curl/8.5.0"],
    ["Headless Chrome", "Mozilla/5.0 HeadlessChrome/120.0"],
  ])("%s is flagged", (_n, ua) => expect(detectBot("GET", ua, h())).toBe("bot_user_agent"));
  test("a normal browser is not flagged", () => {
    expect(detectBot("GET", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15", h())).toBeNull();
  });
  test("HEAD, prefetch and missing UA are flagged", () => {
    expect(detectBot("HEAD", "Mozilla/5.0", h())).toBe("head_request");
    expect(detectBot("GET", "Mozilla/5.0", h({ "sec-purpose": "prefetch" }))).toBe("prefetch");
    expect(detectBot("GET", null, h())).toBe("no_user_agent");
  });
});
