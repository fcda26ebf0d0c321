import { describe, test } from "bun:test";
import { makeTestApp } from "../helpers/app";
import { crossInstanceTests } from "../helpers/cross-instance";
import { startSqld, type Sqld } from "../helpers/sqld";

// The scale-out setup for real: a libSQL server (sqld) on a random loopback port and two app
// instances on it, sharing SECRETS_KEY. Skipped (with the reason printed) only if sqld cannot start.
const started = await startSqld();
const SECRETS_KEY = "sqld-test-shared-secrets-key-0123456789";

if ("reason" in started) {
  console.warn(`[skip] sqld cross-instance suite: ${started.reason}`);
  test.skip(`sqld cross-instance suite (${started.reason})`, () => {});
} else {
  const sqld: Sqld = started.sqld;
  describe("two instances on one sqld server", () => {
    crossInstanceTests(async () => {
      const url = `${sqld.url.replace(/^http:/, "libsql:")}?tls=0`;
      const a = await makeTestApp({ DATABASE_URL: url, SECRETS_KEY, CLICK_FLUSH_MS: "10000" });
      const b = await makeTestApp({ DATABASE_URL: url, SECRETS_KEY }, { now: a.clock.now() });
      return { a, b, async close() { await b.close(); await a.close(); await sqld.stop(); } };
    });
  });
}
