import { expect, test } from "bun:test";
import { UUID_RE, uuidv7 } from "./ids";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);

// The generator keeps module state (last ms, counter); stay within a few ms of
// the real clock so other test files' ids are unaffected.
test("uuidv7: version 7, RFC variant, lower-case hex, the millisecond in the first 48 bits", () => {
  const t = Date.now() + 20;
  const id = uuidv7(t);
  expect(id).toMatch(V7);
  expect(id).toMatch(UUID_RE);
  expect(msOf(id)).toBe(t);
});

test("uuidv7: strictly increasing within one millisecond and when the clock goes back", () => {
  const t = Date.now() + 40;
  const ids = [uuidv7(t), uuidv7(t), uuidv7(t), uuidv7(t - 5), uuidv7(t + 1), uuidv7(t + 1)];
  for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  for (const id of ids) expect(id).toMatch(V7);
  expect(msOf(ids[4]!)).toBe(t + 1);
  expect(new Set(Array.from({ length: 5000 }, () => uuidv7(t + 2))).size).toBe(5000);
});
