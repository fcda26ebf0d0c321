import { expect, test } from "bun:test";
import { csvCell, csvLine } from "./csv";

test.each([
  ["plain", "plain"],
  ["=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""],
  ["+1+1", "'+1+1"],
  ["-2+3", "'-2+3"],
  ["@SUM(A1)", "'@SUM(A1)"],
  ["\tcmd", "'\tcmd"],
  ["-12.50", "-12.50"],
  ["a,b", "\"a,b\""],
  ["line\nbreak", "\"line\nbreak\""],
  ["<script>alert(1)</script>", "<script>alert(1)</script>"],
])("csvCell(%p) -> %p", (input, out) => {
  expect(csvCell(input)).toBe(out);
});

test("numbers, null and booleans; lines end in CRLF", () => {
  expect(csvLine([1, null, undefined, true, -3])).toBe("1,,,true,-3\r\n");
});
