import { describe, expect, test } from "bun:test";
import { appendParams } from "./dest-url";

const P: [string, string][] = [["lc_click", "abc"]];
describe("appendParams", () => {
  test.each([
    ["no query", "https://shop.example/p", "https://shop.example/p?lc_click=abc"],
    ["existing query", "https://shop.example/p?a=1", "https://shop.example/p?a=1&lc_click=abc"],
    ["fragment stays last", "https://shop.example/p#reviews", "https://shop.example/p?lc_click=abc#reviews"],
    ["query and fragment", "https://shop.example/p?a=1#x?y=2", "https://shop.example/p?a=1&lc_click=abc#x?y=2"],
    ["encoded characters kept byte for byte", "https://shop.example/p?q=a%20b+c&e=%E2%9C%93", "https://shop.example/p?q=a%20b+c&e=%E2%9C%93&lc_click=abc"],
    ["trailing ?", "https://shop.example/p?", "https://shop.example/p?lc_click=abc"],
    ["trailing &", "https://shop.example/p?a=1&", "https://shop.example/p?a=1&lc_click=abc"],
    ["old value of our key replaced", "https://shop.example/p?lc_click=old&a=1", "https://shop.example/p?a=1&lc_click=abc"],
    ["empty fragment", "https://shop.example/p#", "https://shop.example/p?lc_click=abc#"],
  ])("%s", (_n, input, expected) => expect(appendParams(input, P)).toBe(expected));

  test("values are encoded", () => {
    expect(appendParams("https://s.example/", [["utm_content", "a b&c=d/é"]])).toBe("https://s.example/?utm_content=a%20b%26c%3Dd%2F%C3%A9");
  });
  test("several params in order", () => {
    expect(appendParams("https://s.example/?x=1", [["sub1", "s"], ["lc_click", "id"]])).toBe("https://s.example/?x=1&sub1=s&lc_click=id");
  });
});
