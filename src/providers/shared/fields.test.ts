import { describe, expect, test } from "bun:test";
import { jsonObjectBody, parseJsonExact, queryAndBody } from "./body";
import { first, flag, isMacro, lookup, present } from "./fields";
import { bytes, rawRequest } from "../fixtures/helpers";

describe("isMacro: unreplaced macros", () => {
  test.each([
    ["{SubId1}", true], ["{sub1}", true], ["{{click_id}}", true], ["%s", true], ["%S", true], ["%SUBID%", true],
    ["[sub1]", true], ["#sub1#", true], ["$clickid$", true], [" {sub1} ", true], ["{}", true],
    ["0196d3a2-7c41-7a10-9e2b-5f0c8d1e4a77", false], ["abc{1}", false], ["%20abc", false], ["100%", false], ["", false],
  ])("%p -> %p", (text, expected) => expect(isMacro(text as string)).toBe(expected as boolean));
});

describe("present", () => {
  test.each([
    ["string", "abc", "abc"], ["number text", "42", "42"], ["number", 42, "42"], ["blank", "  ", null], ["null", null, null],
    ["undefined", undefined, null], ["macro", "{SubId1}", null], ["object", { a: 1 }, null], ["boolean", true, null],
  ])("%s", (_n, v, expected) => expect(present(v)).toBe(expected as string | null));
});

describe("flag", () => {
  test.each([
    [true, true], ["true", true], ["TRUE", true], ["1", true], [1, true], ["yes", true], ["on", true],
    [false, false], ["false", false], ["0", false], [0, false], [null, false], [undefined, false], ["", false],
  ])("%p -> %p", (v, expected) => expect(flag(v)).toBe(expected as boolean));
});

describe("lookup: operator-typed parameter names", () => {
  const fields = { order_id: "A1", SUBID1: "{SubId1}", sub_id1: "c1", Amount: "5.00" };
  test("case and underscores do not matter", () => expect(lookup(fields, ["OrderId"])).toEqual({ name: "order_id", value: "A1" }));
  test("a usable alias beats an unreplaced macro", () => expect(lookup(fields, ["SubId1"]).value).toBe("{SubId1}"));
  test("first alias with a value wins", () => expect(lookup({ Oid: "x", ActionId: "y" }, ["OrderId", "Oid", "ActionId"]).value).toBe("x"));
  test("macro alias falls through to the next", () => expect(lookup({ OrderId: "{OrderId}", ActionId: "y" }, ["OrderId", "ActionId"]).value).toBe("y"));
  test("absent reports the first alias", () => expect(lookup({}, ["Currency", "CurrencyCode"])).toEqual({ name: "Currency", value: undefined }));
});

describe("exact JSON", () => {
  test("numbers keep their source text", () => {
    expect(parseJsonExact('{"id":820982911946154508,"total":59.00,"n":-1.5e2,"s":"7"}'))
      .toEqual({ id: "820982911946154508", total: "59.00", n: "-1.5e2", s: "7" });
  });
  test.each([
    ["not JSON", "order=1", "body is not valid JSON"],
    ["array", "[1,2]", "body is not a JSON object"],
    ["string", '"x"', "body is not a JSON object"],
    ["null", "null", "body is not a JSON object"],
    ["empty", "", "body is empty (a JSON object is required)"],
    ["truncated", '{"order_id":"1"', "body is not valid JSON"],
  ])("rejects %s", (_n, text, reason) => {
    expect(jsonObjectBody(bytes(text as string))).toEqual({ ok: false, reason: reason as string });
  });
  test("rejects invalid UTF-8", () => {
    expect(jsonObjectBody(new Uint8Array([0x7b, 0xff, 0x7d]))).toEqual({ ok: false, reason: "body is not UTF-8 text" });
  });
});

describe("queryAndBody", () => {
  test("query only", () => {
    expect(queryAndBody(rawRequest({ method: "GET", query: "a=1&b=2" }))).toEqual({ ok: true, fields: { a: "1", b: "2" } });
  });
  test("JSON body overrides the query", () => {
    const r = queryAndBody(rawRequest({ query: "a=1&token=t", body: bytes('{"a":2.50}'), headers: { "content-type": "application/json" } }));
    expect(r).toEqual({ ok: true, fields: { a: "2.50", token: "t" } });
  });
  test("form body", () => {
    const r = queryAndBody(rawRequest({ body: bytes("a=x+y&b=%7Bsub1%7D"), headers: { "content-type": "application/x-www-form-urlencoded" } }));
    expect(r).toEqual({ ok: true, fields: { a: "x y", b: "{sub1}" } });
  });
  test("JSON-looking body without a content type is read as JSON", () => {
    expect(queryAndBody(rawRequest({ body: bytes('{"a":"1"}') }))).toEqual({ ok: true, fields: { a: "1" } });
  });
  test("broken JSON is an error, not an empty form", () => {
    const r = queryAndBody(rawRequest({ body: bytes('{"a":'), headers: { "content-type": "application/json" } }));
    expect(r).toEqual({ ok: false, reason: "body is not valid JSON" });
  });
});

describe("first: exact names in order", () => {
  test.each([
    ["first usable", { order_id: "A", id: "B" }, { name: "order_id", value: "A" }],
    ["blank falls through", { order_id: "", id: "48210937" }, { name: "id", value: "48210937" }],
    ["null falls through", { order_id: null, id: "48210937" }, { name: "id", value: "48210937" }],
    ["macro reported when nothing usable", { order_id: "{order_id}" }, { name: "order_id", value: "{order_id}" }],
    ["wrong type reported by name", { order_id: { x: 1 } }, { name: "order_id", value: { x: 1 } }],
    ["absent", {}, { name: "order_id", value: undefined }],
  ])("%s", (_n, obj, expected) => expect(first(obj as Record<string, unknown>, ["order_id", "id"])).toEqual(expected as never));
});
