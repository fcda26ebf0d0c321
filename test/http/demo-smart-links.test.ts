import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { clicks } from "../../src/db/schema";
import { describeDemo, seedDemo, type DemoInfo } from "../../src/demo";
import { DEMO_SMART_CODE } from "../../src/demo-smart-links";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api } from "../helpers/factories";
import { DESKTOP } from "../helpers/smartlinks";

let t: TestApp;
let first: DemoInfo;
beforeAll(async () => {
  t = await makeTestApp();
  first = await seedDemo(t.ctx);
});
afterAll(() => t.close());

describe("npm run demo seeds smart links", () => {
  test("a published rubric of 11 described signals weighing 100, threshold 70, a flat commission", async () => {
    const board = await (await t.request("/rubric.json")).json();
    expect(board.rubric).toMatchObject({ version: 1, threshold: "70.00", flat_commission: { amount: "8.00", currency: "USD" } });
    expect(board.rubric.signals).toHaveLength(11);
    expect(board.rubric.signals.reduce((a: number, s: { weight: number }) => a + s.weight, 0)).toBe(100);
    for (const s of board.rubric.signals) expect(s.description.length).toBeGreaterThan(20);
  });

  test("the two demo programs are scored, one above and one below the threshold, and carry attributes", async () => {
    const board = await (await t.request("/rubric.json")).json();
    expect(board.programs.map((p: any) => [p.name, p.score, p.eligible])).toEqual([["Acme Tents", "83.60", true], ["Acme Boots", "60.80", false]]);
    const programs = (await api(t, "GET", "/api/admin/programs")).data;
    const tents = programs.find((p: any) => p.name === "Acme Tents");
    expect(tents.attributes).toEqual({ category: ["camping", "tents"], countries: ["CA", "DE", "GB", "US"], devices: ["desktop", "mobile", "tablet"] });
    expect(programs.find((p: any) => p.name === "Acme Boots").attributes.category).toEqual(["boots", "camping"]);
  });

  test("the smart link routes to the eligible program, credits Trail Blog, and has a match page listing only it", async () => {
    expect(first.smartLink).toEqual({ code: DEMO_SMART_CODE });
    const res = await t.request(`/go/m/${DEMO_SMART_CODE}`, { headers: { "user-agent": DESKTOP } });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toStartWith("https://example.com/tents?src=affiliate&lc_click=");
    await t.ctx.clicks.flush();
    const id = new URL(res.headers.get("location")!).searchParams.get("lc_click")!;
    const [row] = await t.ctx.db.select().from(clicks).where(eq(clicks.id, id));
    const trail = (await api(t, "GET", "/api/admin/publishers")).data.find((p: any) => p.name === "Trail Blog");
    expect(row).toMatchObject({ programId: first.programs[0]!.id, publisherId: trail.id, via: "smart", rubricVersion: 1, routeScore: 8360 });
    const match = await t.request(`/m/${DEMO_SMART_CODE}`, { headers: { "user-agent": DESKTOP } });
    const text = await match.text();
    expect(match.status).toBe(200);
    expect(text).toContain("Acme Tents");
    expect(text).not.toContain("Acme Boots");
  });

  test("the printout names /rubric, /go/m/{code} and /m/{code}", () => {
    const out = describeDemo(first, "http://localhost:8080");
    expect(out).toContain("http://localhost:8080/rubric ");
    expect(out).toContain(`http://localhost:8080/go/m/${DEMO_SMART_CODE} `);
    expect(out).toContain(`http://localhost:8080/m/${DEMO_SMART_CODE}\n`);
  });

  test("seeding again changes nothing: same rubric version, same scores, one smart link", async () => {
    const again = await seedDemo(t.ctx);
    expect(again.smartLink).toEqual(first.smartLink);
    expect((await api(t, "GET", "/api/admin/rubric")).data).toHaveLength(1);
    expect((await api(t, "GET", `/api/admin/programs/${first.programs[0]!.id}/scores`)).data).toHaveLength(1);
    expect((await api(t, "GET", "/api/admin/smart-links")).data).toHaveLength(1);
  });
});
