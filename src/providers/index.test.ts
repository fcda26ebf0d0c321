import { describe, expect, test } from "bun:test";
import { ADAPTERS, getAdapter } from "./index";
import { PROVIDERS } from "../db/schema/integrations";

describe("ADAPTERS", () => {
  test("one adapter per provider the schema knows, under its own name", () => {
    expect(Object.keys(ADAPTERS).sort()).toEqual([...PROVIDERS].sort());
    for (const [key, adapter] of Object.entries(ADAPTERS)) expect(adapter.name).toBe(key as never);
  });
  test.each([
    ["refersion", 409], ["generic", 409], ["impact", 200], ["everflow", 200], ["shopify", 200], ["woocommerce", 200],
  ])("%s answers a duplicate with %p", (name, status) => expect(getAdapter(name as string)?.duplicateStatus).toBe(status as 200 | 409));
  test.each([["nope"], ["__proto__"], ["toString"], [""]])("unknown provider %p", (name) => expect(getAdapter(name)).toBeNull());
});
