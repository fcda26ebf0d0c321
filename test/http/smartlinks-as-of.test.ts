import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, makeBrand, makeProgram } from "../helpers/factories";
import { DESKTOP, putRubric, score } from "../helpers/smartlinks";

// The network runs on New York time: 2026-11-03T03:00Z is still 2 November there.
let t: TestApp;
let a: { id: string };
let late: { id: string };
const json = async (path: string) => (await t.request(path)).json();
const page = async (path: string) => (await t.request(path, { headers: { "user-agent": DESKTOP } })).text();
const attrs = (html: string, name: string) => [...html.matchAll(new RegExp(`${name}="([^"]*)"`, "g"))].map((m) => m[1]);
const row = (board: any, id: string) => board.programs.find((p: any) => p.id === id);

beforeAll(async () => {
  t = await makeTestApp({ NETWORK_TIMEZONE: "America/New_York" }, { now: Date.parse("2026-11-02T12:00:00Z") });
  const brand = await makeBrand(t, "Camp Co");
  a = await makeProgram(t, brand.id, { name: "Alpine Tents", attributes: { category: "tents", countries: ["US"] } });
  await putRubric(t);
  await score(t, a.id, 0.6, 0.6, 0.6, "first look");               // 60.00, below 70
  t.clock.set(Date.parse("2026-11-03T03:00:00Z"));                 // 2 Nov, 22:00 in New York
  await score(t, a.id, 1, 0.9, 0.5, "second look");                // 87.00
  late = await makeProgram(t, brand.id, { name: "Late Tents", attributes: { category: "tents" } });
  t.clock.set(Date.parse("2026-11-05T15:00:00Z"));
  await api(t, "PATCH", `/api/admin/programs/${a.id}`, { name: "Alpine Outdoor", status: "paused", attributes: { category: "boots" } });
});
afterAll(() => t.close());

describe("/rubric?as_of: days in NETWORK_TIMEZONE", () => {
  test("as_of=2026-11-02 ends at midnight New York time: it includes what happened at 03:00 UTC on the 3rd", async () => {
    const b = await json("/rubric.json?as_of=2026-11-02");
    expect(b).toMatchObject({ as_of: "2026-11-02", timezone: "America/New_York", at: "2026-11-03T04:59:59.999Z", last_change_on: "2026-11-02" });
    expect(b.last_change_at).toBe("2026-11-03T03:00:00.000Z");
    expect(b.programs.map((p: any) => [p.name, p.score, p.note, p.scored_on])).toEqual([
      ["Alpine Tents", "87.00", "second look", "2026-11-02"], ["Late Tents", null, null, null],
    ]);
    const html = await page("/rubric?as_of=2026-11-02");
    expect(html).toContain("data-last-change>2026-11-02<");
    expect(html).toContain("As it stood at the end of <strong>2026-11-02</strong> (America/New_York)");
    expect(attrs(html, "data-score")).toEqual(["87.00", ""]);
  });

  test("the day before in New York shows the first scores only, and no program created later", async () => {
    const b = await json("/rubric.json?as_of=2026-11-01");
    expect(b.rubric).toBeNull();
    expect(b.programs).toEqual([]);
    // 2 Nov 07:00 New York time is the first day; a UTC day boundary would have cut the 03:00Z changes off
    const utc = await makeTestApp({}, { now: Date.parse("2026-11-02T12:00:00Z") });
    try {
      const brand = await makeBrand(utc);
      const p = await makeProgram(utc, brand.id);
      await putRubric(utc);
      await score(utc, p.id, 0.6, 0.6, 0.6);
      utc.clock.set(Date.parse("2026-11-03T03:00:00Z"));
      await score(utc, p.id, 1, 0.9, 0.5);
      const u = await (await utc.request("/rubric.json?as_of=2026-11-02")).json();
      expect([u.timezone, u.programs[0].score, u.last_change_on]).toEqual(["UTC", "60.00", "2026-11-02"]);
    } finally { await utc.close(); }
  });

  test("today's page names the timezone of its dates", async () => {
    const b = await json("/rubric.json");
    expect(b).toMatchObject({ as_of: null, as_of_statement: null, timezone: "America/New_York", last_change_on: "2026-11-02" });
    expect(await page("/rubric")).toContain("(America/New_York)");
  });
});

describe("/rubric?as_of: programs as they were on that date", () => {
  test("name, status and attributes come from the audit trail; eligibility uses the status of then", async () => {
    const b = await json("/rubric.json?as_of=2026-11-04");
    expect(row(b, a.id)).toMatchObject({
      name: "Alpine Tents", status: "active", status_now: "paused", eligible: true, score: "87.00",
      attributes: { category: ["tents"], countries: ["US"] },
    });
    expect(b.as_of_statement).toContain("rebuilt from the audit trail");
    const html = await page("/rubric?as_of=2026-11-04");
    expect(html).toContain("Alpine Tents");
    expect(html).not.toContain("Alpine Outdoor");
    expect(html).toContain("(paused today)");
    expect(html).toContain("category: tents");
    expect(html).toContain(b.as_of_statement.replace(/'/g, "&#39;"));
    expect(attrs(html, "data-eligible")).toEqual(b.programs.map((p: any) => String(p.eligible)));
  });

  test("after the change, and today, the program is paused, renamed, not eligible", async () => {
    for (const path of ["/rubric.json?as_of=2026-11-05", "/rubric.json"]) {
      expect(row(await json(path), a.id)).toMatchObject({ name: "Alpine Outdoor", status: "paused", status_now: "paused", eligible: false, attributes: { category: ["boots"] } });
    }
  });

  test("a program created after the date is not listed; a date not over yet shows the board as it is now", async () => {
    await makeProgram(t, (await api(t, "GET", "/api/admin/brands")).data[0].id, { name: "Newest Tents" });
    const before = await json("/rubric.json?as_of=2026-11-04");
    expect(before.programs.map((p: any) => p.name)).toEqual(["Alpine Tents", "Late Tents"]);
    expect(row(before, late.id)).toBeTruthy();
    const today = await json("/rubric.json?as_of=2026-11-05");
    expect(today.at).toBe(new Date(t.clock.now()).toISOString());
    expect(today.programs.map((p: any) => p.name)).toContain("Newest Tents");
    const future = await json("/rubric.json?as_of=2027-01-01");
    expect(future.at).toBe(new Date(t.clock.now()).toISOString());
  });
});
