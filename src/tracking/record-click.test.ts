import { describe, expect, test } from "bun:test";
import { uuidv7 } from "../shared/ids";
import { appendParams } from "./dest-url";
import { clickOnly } from "./record-click";

// clickOnly is the cached fast path of appendParams(dest, [[param, id]]): it must give the same bytes.
describe("clickOnly matches appendParams for the click id alone", () => {
  const id = uuidv7(Date.UTC(2026, 10, 2));
  const cases: [string, string][] = [
    ["plain", "https://shop.example/tents"],
    ["trailing slash", "https://shop.example/"],
    ["existing query", "https://shop.example/tents?color=green%20dark"],
    ["query and fragment", "https://example.com/tents?src=affiliate#top"],
    ["fragment only", "https://shop.example/p#reviews"],
    ["old click param is replaced", "https://shop.example/p?lc_click=old&x=1"],
    ["encoded old click param is replaced", "https://shop.example/p?lc%5Fclick=old&x=1#f"],
    ["empty query and fragment", "https://shop.example/p?#"],
    ["fragment with a question mark", "https://shop.example/p#a?b=c"],
  ];
  for (const [name, dest] of cases) {
    test(name, () => {
      for (const param of ["lc_click", "click id"]) {
        expect(clickOnly(dest, param, id)).toBe(appendParams(dest, [[param, id]]));
        expect(clickOnly(dest, param, id)).toBe(appendParams(dest, [[param, id]])); // cached
      }
    });
  }
});
