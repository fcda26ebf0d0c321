import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { zodFields } from "./body";

describe("zodFields", () => {
  test("groups issues by path; a path named like an Object member is a field like any other", () => {
    const r = z.record(z.string(), z.number()).safeParse({ constructor: "a", toString: "b", hasOwnProperty: "c", ok: 1 });
    expect(r.success).toBe(false);
    const fields = zodFields(r.error!);
    expect(Object.keys(fields).sort()).toEqual(["constructor", "hasOwnProperty", "toString"]);
    expect(fields["constructor"] as string[]).toEqual(["Invalid input: expected number, received string"]);
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });
});
