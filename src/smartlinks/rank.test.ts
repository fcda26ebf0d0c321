import { describe, expect, test } from "bun:test";
import type { Attributes } from "./attributes";
import { deviceOf } from "./device";
import { parseHundredths } from "./points";
import { rank, type RankProgram, type Visitor } from "./rank";

type P = RankProgram & { commissionMinor: number };
const prog = (id: string, score: number | null, attributes: Attributes = {}, over: Partial<P> = {}): P =>
  ({ id, status: "active", score, attributes, commissionMinor: 1000, ...over });
const NOBODY: Visitor = { country: null, device: null };
const ids = (programs: P[], criteria: Attributes = {}, visitor: Visitor = NOBODY, threshold = 7000) =>
  rank({ programs, thresholdHundredths: threshold, criteria, visitor }).map((r) => r.program.id);

describe("rank: eligibility", () => {
  const cases: [string, P[], Attributes, Visitor, string[]][] = [
    ["69.99 is below a 70 threshold, 70.00 is at it", [prog("a", 6999), prog("b", 7000)], {}, NOBODY, ["b"]],
    ["an unscored program is never eligible", [prog("a", null), prog("b", 8000)], {}, NOBODY, ["b"]],
    ["a paused program is excluded whatever its score", [prog("a", 9900, {}, { status: "paused" }), prog("b", 7100)], {}, NOBODY, ["b"]],
    ["criteria mismatch -> none", [prog("a", 9000, { category: ["tents"] })], { category: ["boots"] }, NOBODY, []],
    ["a criterion on an attribute the program lacks excludes it", [prog("a", 9000), prog("b", 8000, { category: ["boots"] })], { category: ["boots"] }, NOBODY, ["b"]],
    ["any listed value matches", [prog("a", 9000, { category: ["boots", "tents"] })], { category: ["tents", "stoves"] }, NOBODY, ["a"]],
    ["free attributes route too", [prog("a", 9000, { vegan: ["yes"] }), prog("b", 9500, { vegan: ["no"] })], { vegan: ["yes"] }, NOBODY, ["a"]],
    ["a program limited to other countries cannot take the visitor", [prog("a", 9000, { countries: ["US"] }), prog("b", 8000)], {}, { country: "DE", device: null }, ["b"]],
    ["a program limited to other devices cannot take the visitor", [prog("a", 9000, { devices: ["desktop"] })], {}, { country: null, device: "mobile" }, []],
    ["no program at all -> none", [], {}, NOBODY, []],
  ];
  for (const [name, programs, criteria, visitor, want] of cases) test(name, () => expect(ids(programs, criteria, visitor)).toEqual(want));
});

describe("rank: order", () => {
  const cases: [string, P[], Attributes, Visitor, string[]][] = [
    ["higher score first when the fit is equal", [prog("a", 7500), prog("b", 9100), prog("c", 8000)], {}, NOBODY, ["b", "c", "a"]],
    ["a program naming the visitor's country beats a higher-scored one serving everyone",
      [prog("a", 9900), prog("b", 7200, { countries: ["DE", "AT"] })], {}, { country: "DE", device: null }, ["b", "a"]],
    ["explicit device fit counts too", [prog("a", 9900), prog("b", 7200, { devices: ["mobile"] })], {}, { country: null, device: "mobile" }, ["b", "a"]],
    ["fit on the link's criteria counts (explicit country criterion)",
      [prog("a", 9900), prog("b", 7000, { countries: ["FR"] })], { countries: ["FR"] }, NOBODY, ["b", "a"]],
    ["ties on fit and score go to the program created first (lowest id)", [prog("0193b", 8000), prog("0193a", 8000), prog("0193c", 8000)], {}, NOBODY, ["0193a", "0193b", "0193c"]],
  ];
  for (const [name, programs, criteria, visitor, want] of cases) test(name, () => expect(ids(programs, criteria, visitor)).toEqual(want));

  test("a higher commission never changes the order", () => {
    const base = [prog("a", 8000), prog("b", 8000), prog("c", 9000, { countries: ["DE"] }), prog("d", 7000)];
    const visitor: Visitor = { country: "DE", device: "desktop" };
    const before = ids(base, {}, visitor);
    for (const i of base.keys()) {
      const richer = base.map((p, j) => (j === i ? { ...p, commissionMinor: 1_000_000_00 } : { ...p, commissionMinor: 1 }));
      expect(ids(richer, {}, visitor)).toEqual(before);
      expect(ids([...richer].reverse(), {}, visitor)).toEqual(before); // nor does input order
    }
    expect(before).toEqual(["c", "a", "b", "d"]);
  });

  test("ranked entries carry score and fit", () => {
    const [r] = rank({ programs: [prog("a", 8123, { category: ["tents"] })], thresholdHundredths: 0, criteria: { category: ["tents"] }, visitor: NOBODY });
    expect(r).toMatchObject({ score: 8123, fit: 1 });
  });
});

describe("points and devices", () => {
  test.each([["70", 7000], ["69.99", 6999], [0, 0], ["100", 10000], [0.5, 50], ["0.750", 75]] as const)("parseHundredths(%p) = %p", (input, want) => {
    expect(parseHundredths(input, 10000)).toBe(want);
  });
  test.each(["100.01", "-1", "0.001", "abc"])("parseHundredths(%p) is refused", (input) => expect(() => parseHundredths(input, 10000)).toThrow());
  test.each([
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148", "mobile"],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/130 Mobile Safari/537.36", "mobile"],
    ["Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)", "tablet"],
    ["Mozilla/5.0 (Linux; Android 13; SM-X700) Chrome/130 Safari/537.36", "tablet"],
    ["Mozilla/5.0 (X11; Linux x86_64) Chrome/130", "desktop"],
  ] as const)("deviceOf %p", (ua, want) => expect(deviceOf(ua)).toBe(want));
});
