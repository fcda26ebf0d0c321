import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";

// One unclosed block once put every console rule after it inside a phone-only media query.
let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(() => t.close());

test("the served stylesheet's blocks all close: no rule is swallowed by an open @media", async () => {
  const css = (await (await t.request("/public/app.css")).text()).replace(/\/\*[\s\S]*?\*\//g, "").replace(/"[^"]*"|'[^']*'/g, "");
  let depth = 0, lowest = 0;
  const topLevel: string[] = [];
  for (const line of css.split("\n")) {
    if (depth === 0 && /^\.(topbar|sr-only|kpis|panel)\b/.test(line)) topLevel.push(line.split(" ")[0]!);
    for (const ch of line) { if (ch === "{") depth++; if (ch === "}") depth--; lowest = Math.min(lowest, depth); }
  }
  expect(lowest).toBe(0);
  expect(depth).toBe(0);
  expect(topLevel).toEqual(expect.arrayContaining([".sr-only", ".topbar", ".panel", ".kpis"]));
});
