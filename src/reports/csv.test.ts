import { expect, test } from "bun:test";
import { csvCell, toCsv } from "./csv";

test.each([
  ["plain", "plain"], ["a,b", '"a,b"'], ['say "hi"', '"say ""hi"""'], ["line\nbreak", '"line\nbreak"'],
  ["=SUM(A1)", "'=SUM(A1)"], ["+1", "'+1"], ["-1", "'-1"], ["@cmd", "'@cmd"], ["\tx", "'\tx"],
  [-5, "-5"], [12, "12"], [null, ""],
] as const)("csvCell(%p)", (v, want) => {
  expect(csvCell(v)).toBe(want);
});

test("rows end with CRLF (RFC 4180)", () => {
  expect(toCsv(["a", "b"], [[1, "x,y"]])).toBe('a,b\r\n1,"x,y"\r\n');
});
