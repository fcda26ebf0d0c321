import { describe, expect, test } from "bun:test";
import { attribute, type ClickForAttribution } from "./attribute";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const click = (over: Partial<ClickForAttribution> = {}): ClickForAttribution => ({
  id: "c1", programId: "p1", publisherId: "pubA", createdAt: NOW - DAY, isBot: false, ...over,
});
const run = (c: ClickForAttribution | null, sent: string | null = "c1", windowDays = 30) =>
  attribute({ sentClickId: sent, click: c, programId: "p1", cookieWindowDays: windowDays, now: NOW });

describe("attribute (last click)", () => {
  test("credits the click's publisher", () => {
    expect(run(click())).toEqual({ clickId: "c1", publisherId: "pubA", reason: "credited" });
  });
  test("window boundary: exactly 30 days before is inside", () => {
    expect(run(click({ createdAt: NOW - 30 * DAY })).reason).toBe("credited");
  });
  test("window boundary: 30 days and one second before is outside", () => {
    expect(run(click({ createdAt: NOW - 30 * DAY - 1000 }))).toEqual({ clickId: "c1", publisherId: null, reason: "expired" });
  });
  test("window boundary: one second inside", () => {
    expect(run(click({ createdAt: NOW - 30 * DAY + 1000 })).reason).toBe("credited");
  });
  test("a program's shorter window applies", () => {
    expect(run(click({ createdAt: NOW - 8 * DAY }), "c1", 7).reason).toBe("expired");
  });
  test("no click sent -> unattributed", () => expect(run(null, null).reason).toBe("no_click_sent"));
  test("unknown click -> unattributed", () => expect(run(null, "nope").reason).toBe("click_not_found"));
  test("click of another program -> unattributed, not linked", () => {
    expect(run(click({ programId: "p2" }))).toEqual({ clickId: null, publisherId: null, reason: "wrong_program" });
  });
  test("bot clicks are never credited", () => expect(run(click({ isBot: true })).publisherId).toBeNull());
  test("a click after the conversion reached us is not credited", () => expect(run(click({ createdAt: NOW + 1000 })).reason).toBe("click_in_future"));
  test("a platform's occurred-at a little before the click (clock skew, zone-less time) still credits", () => {
    const r = attribute({ sentClickId: "c1", click: click({ createdAt: NOW - 1000 }), programId: "p1", cookieWindowDays: 30, now: NOW - 5 * 3600_000, receivedAt: NOW });
    expect(r.reason).toBe("credited");
  });
  test("the window is measured from when the sale happened, not when it was reported", () => {
    const r = attribute({ sentClickId: "c1", click: click({ createdAt: NOW - 40 * DAY }), programId: "p1", cookieWindowDays: 30, now: NOW - 20 * DAY, receivedAt: NOW });
    expect(r.reason).toBe("credited");
  });
  test("last click across publishers: the later click id in the cookie wins", () => {
    const first = click({ id: "c1", publisherId: "pubA", createdAt: NOW - 2 * DAY });
    const last = click({ id: "c2", publisherId: "pubB", createdAt: NOW - DAY });
    // The cookie holds the latest click id; attribution follows what the brand sends.
    expect(attribute({ sentClickId: "c2", click: last, programId: "p1", cookieWindowDays: 30, now: NOW }).publisherId).toBe("pubB");
    expect(attribute({ sentClickId: "c1", click: first, programId: "p1", cookieWindowDays: 30, now: NOW }).publisherId).toBe("pubA");
  });
});
