import { describe, expect, test } from "bun:test";
import { checkJsonDepth, JsonTooDeep, MAX_JSON_DEPTH } from "./json-depth";

const nested = (levels: number, open = "[", close = "]") => open.repeat(levels) + close.repeat(levels);
const nestedObjects = (levels: number) => '{"a":'.repeat(levels - 1) + "{}" + "}".repeat(levels - 1);

describe("checkJsonDepth", () => {
  test.each([
    ["flat object", '{"order_id":"1","total":59}'],
    ["arrays at the limit", nested(MAX_JSON_DEPTH)],
    ["objects at the limit", nestedObjects(MAX_JSON_DEPTH)],
    ["brackets inside strings do not count", JSON.stringify({ note: "[".repeat(500) + "{".repeat(500) })],
    ["an escaped quote does not end the string", JSON.stringify({ note: '\\"' + "[".repeat(200) })],
    ["not JSON at all (left to JSON.parse)", "order_id=1&total=5"],
  ])("passes: %s", (_n, text) => expect(() => checkJsonDepth(text)).not.toThrow());

  test.each([
    ["arrays one past the limit", nested(MAX_JSON_DEPTH + 1)],
    ["objects one past the limit", nestedObjects(MAX_JSON_DEPTH + 1)],
    ["mixed, far past the limit, unterminated", '[{"a":'.repeat(20_000)],
  ])("refuses: %s", (_n, text) => {
    expect(() => checkJsonDepth(text)).toThrow(new JsonTooDeep(MAX_JSON_DEPTH));
    expect(() => checkJsonDepth(text)).toThrow(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  });

  test("a smaller limit", () => {
    expect(() => checkJsonDepth("[[[]]]", 3)).not.toThrow();
    expect(() => checkJsonDepth("[[[[]]]]", 3)).toThrow(JsonTooDeep);
  });
});
