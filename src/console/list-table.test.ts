import { expect, test } from "bun:test";
import { csvResponse } from "./list-table";

test("CSV: RFC 4180 quoting, CRLF, and formula-looking cells defused", async () => {
  const res = csvResponse("x.csv", ["a", "b"], [["plain", 'say "hi", ok'], ["=HYPERLINK(\"x\")", "-2"], [null, 5], ["line\nbreak", "@sum"]]);
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(res.headers.get("content-disposition")).toBe('attachment; filename="x.csv"');
  expect(await res.text()).toBe('a,b\r\nplain,"say ""hi"", ok"\r\n"\'=HYPERLINK(""x"")",\'-2\r\n,5\r\n"line\nbreak",\'@sum\r\n');
});
