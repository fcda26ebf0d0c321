import { describe } from "bun:test";
import { makeTestApp } from "../helpers/app";
import { crossInstanceTests } from "../helpers/cross-instance";

// Two app instances on one embedded database file (the same tests run against a real sqld in test/sqld/).
describe("two instances on one database file", () => {
  crossInstanceTests(async () => {
    const a = await makeTestApp({ CLICK_FLUSH_MS: "10000" });
    const b = await makeTestApp({ DATABASE_URL: a.ctx.config.DATABASE_URL }, { now: a.clock.now() });
    return { a, b, async close() { await b.close(); await a.close(); } };
  });
});
