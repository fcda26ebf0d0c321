import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, makeBrand, makeProgram } from "../helpers/factories";
import { DESKTOP, putRubric, score, smartLink } from "../helpers/smartlinks";

let t: TestApp;
let program: { id: string };
beforeAll(async () => {
  t = await makeTestApp();
  program = await makeProgram(t, (await makeBrand(t)).id, { name: "Summit Tents", attributes: { category: "tents" } });
  await putRubric(t);
  await score(t, program.id, 1, 1, 1);
  await smartLink(t, { criteria: { category: "tents" }, code: "tents" });
});
afterAll(() => t.close());

const get = async (path: string) => {
  const res = await t.request(path, { headers: { "user-agent": DESKTOP } });
  return { status: res.status, location: res.headers.get("location"), text: await res.text() };
};

describe("smart-link pages when there is nothing to show", () => {
  test.each(["/go/m/no-such-code", "/m/no-such-code", "/go/m/x", "/m/bad%20code"])("%s: a smart-link 404 page, no redirect, pointing to the rubric", async (path) => {
    const r = await get(path);
    expect(r.status).toBe(404);
    expect(r.location).toBeNull();
    expect(r.text).toContain("This smart link does not exist");
    expect(r.text).toContain('href="/rubric"');
  });

  test("nothing eligible: the match page says so, keeps the disclosure, and does not promise a commission for programs it does not list", async () => {
    const before = await get("/m/tents");
    expect(before.text).toContain("Each of these programs pays the same 5.00 USD per sale");
    await api(t, "PATCH", `/api/admin/programs/${program.id}`, { status: "paused" });
    const r = await get("/m/tents");
    expect(r.status).toBe(200);
    expect(r.text).toContain("No program matches right now");
    expect(r.text).toContain("data-disclosure");
    expect(r.text).not.toContain("Each of these programs pays");
    const go = await get("/go/m/tents");
    expect([go.status, go.location]).toEqual([404, null]);
    expect(go.text).toContain("No match right now");
  });
});
