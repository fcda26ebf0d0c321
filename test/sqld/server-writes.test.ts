import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createClient, type Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import * as schema from "../../src/db/schema";
import { migrate } from "../../src/db/migrate";
import { uuidv7 } from "../../src/shared/ids";
import { FakeClock } from "../../src/shared/clock";
import { SecretBox } from "../../src/shared/secret-box";
import { ClickBuffer, type ClickRow } from "../../src/tracking/click-buffer";
import { CountryLookup } from "../../src/tracking/geo";
import { IpSalts } from "../../src/tracking/ip-salts";
import { startSqld, type Sqld } from "../helpers/sqld";

// The money path and the click writer on a real libSQL server (sqld): what they batch per round trip.
const started = await startSqld();

if ("reason" in started) {
  console.warn(`[skip] sqld server-writes suite: ${started.reason}`);
  test.skip(`sqld server-writes suite (${started.reason})`, () => {});
} else {
  const sqld: Sqld = started.sqld;
  const url = `${sqld.url.replace(/^http:/, "libsql:")}?tls=0`;
  let client: Client;
  beforeAll(async () => { client = createClient({ url }); await migrate(client); });
  afterAll(async () => { client.close(); await sqld.stop(); });

  const row = (over: Partial<ClickRow> = {}): ClickRow => ({
    id: uuidv7(), approvalId: "a1", programId: "p1", publisherId: "u1", createdAt: 1_800_000_000_000, ipHash: null, userAgent: "Mozilla/5.0",
    country: null, referrer: null, utmSource: null, utmMedium: null, utmCampaign: null, utmTerm: null, utmContent: null,
    sub1: "s1", sub2: null, sub3: null, sub4: null, sub5: null, refCode: null, isBot: false, botReason: null, via: "link",
    smartLinkId: null, rubricVersion: null, routeScore: null, routeCriteria: null, ...over,
  });

  describe("click writer on a libSQL server", () => {
    test("writes on its own thread with its own client: IPs hashed there, several batches per round trip, every row stored", async () => {
      const salts = new IpSalts(drizzle(client, { schema }), new SecretBox("k".repeat(32)), new FakeClock(1_800_000_000_000));
      const buffer = new ClickBuffer(client, { flushMs: 60_000, batchSize: 700, onError: () => {}, ipWork: { salts, geo: new CountryLookup(null) } });
      expect(await buffer.writeInWorker(url)).toEqual({ ok: true });
      const internals = buffer as unknown as { writer: unknown; inline: unknown };
      expect(internals.writer).not.toBe(internals.inline);
      const rows = Array.from({ length: 2500 }, (_, i) => row({ sub2: `n${i}` }));
      for (const r of rows) buffer.add(r, { ip: "8.8.8.8", country: false });
      await buffer.flush();
      expect(buffer.failures).toBe(0);
      const stored = await client.execute("SELECT count(*) n, count(DISTINCT ip_hash) hashes, max(ip_hash) hash, sum(ip_hash = '8.8.8.8') raw FROM clicks WHERE sub1 = 's1'");
      expect(stored.rows[0]).toMatchObject({ n: 2500, hashes: 1, hash: await salts.hash("8.8.8.8", 1_800_000_000_000), raw: 0 });
      await buffer.close();
      expect(buffer.stored).toBe(2500);
    });

    test("an unreachable server: no thread, writes stay on the request thread", async () => {
      const buffer = new ClickBuffer(client, { flushMs: 60_000, batchSize: 100 });
      const r = await buffer.writeInWorker("libsql://127.0.0.1:1?tls=0");
      expect(r.ok).toBe(false);
      const rows = [row({ ipHash: "h", sub1: "inline" })];
      for (const x of rows) buffer.add(x);
      await buffer.close();
      expect((await client.execute("SELECT count(*) n FROM clicks WHERE sub1 = 'inline'")).rows[0]!.n).toBe(1);
    });
  });
}
