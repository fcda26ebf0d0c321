import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, T0, type TestApp } from "../helpers/app";
import { api, makeBrand, makeProgram } from "../helpers/factories";
import { DAY_MS } from "../../src/shared/clock";
import { DESKTOP, putRubric, score, SIGNALS, smartLink } from "../helpers/smartlinks";

let t: TestApp;
let good: { id: string };
let evil: { id: string };
beforeAll(async () => {
  t = await makeTestApp({ COUNTRY_HEADER: "cf-ipcountry" });
  const brand = await makeBrand(t, "Trail & Co");
  good = await makeProgram(t, brand.id, { name: "Summit Gear", attributes: { category: "tents" } });
  evil = await makeProgram(t, brand.id, { name: `<script>alert(1)</script> Tents`, attributes: { category: "tents" } });
  await makeProgram(t, brand.id, { name: "Unrated Gear", attributes: { category: "tents" } });
  await putRubric(t);                          // version 1 on 2026-11-02
  await score(t, good.id, 1, 0.9, 0.5, "tested in the Alps"); // 50 + 27 + 10 = 87.00
  await score(t, evil.id, 0.6, 0.6, 0.6);      // 60.00
  t.clock.advance(3 * DAY_MS);                 // 2026-11-05
  await putRubric(t, { threshold: 60, signals: SIGNALS.map((s, i) => ({ ...s, weight: [40, 40, 20][i] })) });
  await score(t, evil.id, 0.8, 0.8, 0.8);      // 80.00 under version 2
});
afterAll(() => t.close());

const page = async (path: string) => { const res = await t.request(path, { headers: { "user-agent": DESKTOP } }); return { res, text: await res.text() }; };
const attrs = (html: string, name: string) => [...html.matchAll(new RegExp(`${name}="([^"]*)"`, "g"))].map((m) => m[1]);

describe("/rubric and /rubric.json", () => {
  test("the page shows exactly what the JSON says: signals, weights, threshold, scores, breakdown, last change, statements", async () => {
    const json = await (await t.request("/rubric.json")).json();
    const { res, text } = await page("/rubric");
    expect(res.status).toBe(200);
    expect(json.rubric).toMatchObject({ version: 2, threshold: "60.00" });
    expect(attrs(text, "data-signal")).toEqual(json.rubric.signals.map((s: any) => s.key));
    expect(attrs(text, "data-weight")).toEqual(json.rubric.signals.map((s: any) => String(s.weight)));
    expect(text).toContain(`data-threshold>${json.rubric.threshold}<`);
    expect(attrs(text, "data-program")).toEqual(json.programs.map((p: any) => p.id));
    expect(attrs(text, "data-score")).toEqual(json.programs.map((p: any) => p.score ?? ""));
    expect(attrs(text, "data-eligible")).toEqual(json.programs.map((p: any) => String(p.eligible)));
    expect(attrs(text, "data-points")).toEqual(json.programs.flatMap((p: any) => p.breakdown.map((b: any) => b.points)));
    expect(text).toContain(`data-last-change>${json.last_change_at.slice(0, 10)}<`);
    expect(text).toContain(json.placement_statement);
    expect(text).toContain(json.tie_break_rule.replace(/'/g, "&#39;"));
    expect(json.placement_statement).toContain("Placement is not paid");
    expect(json.tie_break_rule).toContain("lowest program id");
    // today: version 2 weights 40/40/20 -> Summit 40 + 36 + 10 = 86.00, the other 80.00
    expect(json.programs.map((p: any) => [p.name, p.score, p.eligible])).toEqual([["Summit Gear", "86.00", true], ["<script>alert(1)</script> Tents", "80.00", true], ["Unrated Gear", null, false]]);
    expect(json.last_change_at).toBe(new Date(T0 + 3 * DAY_MS).toISOString());
  });

  test("as_of rebuilds the rubric and scores of that day", async () => {
    const json = await (await t.request("/rubric.json?as_of=2026-11-03")).json();
    expect(json.as_of).toBe("2026-11-03");
    expect(json.rubric).toMatchObject({ version: 1, threshold: "70.00" });
    expect(json.programs.map((p: any) => [p.score, p.eligible, p.note])).toEqual([["87.00", true, "tested in the Alps"], ["60.00", false, null], [null, false, null]]);
    expect(json.last_change_at).toBe(new Date(T0).toISOString());
    const { text } = await page("/rubric?as_of=2026-11-03");
    expect(attrs(text, "data-score")).toEqual(["87.00", "60.00", ""]);
    expect(text).toContain("not scored yet");
    expect(text).toContain("As it stood at the end of <strong>2026-11-03</strong>");
    const before = await (await t.request("/rubric.json?as_of=2026-11-01")).json();
    expect(before).toMatchObject({ rubric: null, programs: [] });
  });

  test.each(["2026-13-01", "yesterday", "2026-02-30"])("a bad as_of (%p) is a 400, page and JSON", async (d) => {
    const j = await t.request(`/rubric.json?as_of=${d}`);
    expect(j.status).toBe(400);
    expect((await j.json()).error.fields.as_of[0]).toContain("a date like");
    expect((await page(`/rubric?as_of=${d}`)).res.status).toBe(400);
  });

  test("names are escaped", async () => {
    const { text } = await page("/rubric");
    expect(text).not.toContain("<script>alert(1)");
    expect(text).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Tents");
  });
});

describe("/m/{code}", () => {
  test("ranked eligible programs with scores, the disclosure above every link, links through /go/m", async () => {
    await smartLink(t, { criteria: { category: "tents" }, code: "tents" });
    const { res, text } = await page("/m/tents");
    expect(res.status).toBe(200);
    const disclosure = text.indexOf("data-disclosure");
    expect(disclosure).toBeGreaterThan(0);
    expect(disclosure).toBeLessThan(text.indexOf('href="/go/'));
    expect(text).toContain("Affiliate disclosure");
    expect(attrs(text, "data-score")).toEqual(["86.00", "80.00"]);
    expect(attrs(text, 'class="go" href')).toEqual([`/go/m/tents?to=${good.id}`, `/go/m/tents?to=${evil.id}`]);
    expect(text).not.toContain("<script>alert");
    // following the second link credits the click to that program
    const go = await t.request(`/go/m/tents?to=${evil.id}`, { headers: { "user-agent": DESKTOP } });
    expect(go.status).toBe(302);
  });

  test("no match page for a link created without one; unknown code 404", async () => {
    const link = await smartLink(t, { criteria: {}, match_page: false });
    expect((await page(`/m/${link.code}`)).res.status).toBe(404);
    expect((await page("/m/unknown-code")).res.status).toBe(404);
  });

  test("when nothing is eligible any more the page says so, still with the disclosure, and lists no link", async () => {
    await api(t, "PUT", "/api/admin/rubric", { threshold: 99, signals: SIGNALS });
    const { res, text } = await page("/m/tents");
    expect(res.status).toBe(200);
    expect(text).toContain("No program matches right now");
    expect(text).toContain("data-disclosure");
    expect(text).not.toContain('href="/go/');
  });
});
