import { expect, test } from "bun:test";
import { csvCell } from "./list";

test.each([
  ["plain", "plain"],
  ["a,b", '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ["line\nbreak", '"line\nbreak"'],
  ["=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""],
  ["+1", "+1"],
  ["+1 555 0100", "'+1 555 0100"],
  ["-2.50", "-2.50"],
  [-3, "-3"],
  ["-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"],
  ["@sum", "'@sum"],
  [12, "12"],
  [null, ""],
] as const)("csvCell(%p) -> %p", (input, out) => {
  expect(csvCell(input)).toBe(out);
});
