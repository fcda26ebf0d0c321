import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createClient, type Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import * as schema from "../../src/db/schema";
import { migrate } from "../../src/db/migrate";
import { uuidv7 } from "../../src/shared/ids";
import { FakeClock } from "../../src/shared/clock";
import { SecretBox } from "../../src/shared/secret-box";
import { ClickBuffer, type ClickRow } from "../../src/tracking/click-buffer";
import { rowArgs } from "../../src/tracking/click-rows";
import { WorkerWriter } from "../../src/tracking/click-writer";
import { CountryLookup } from "../../src/tracking/geo";
import { IpSalts } from "../../src/tracking/ip-salts";
import { WriteQueue } from "../../src/db/write-queue";
import { seedDemo } from "../../src/demo";
import { makeTestApp } from "../helpers/app";
import { startSqld, type Sqld } from "../helpers/sqld";
import { click, network, postback } from "../helpers/factories";

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
      const rows = Array.from({ length: 2500 }, (_, i) => row({ sub2: `n${i}`, isBot: i === 7, botReason: i === 7 ? "bot_user_agent" : null, routeScore: i === 7 ? 0.75 : null, rubricVersion: i === 7 ? 3 : null, referrer: i === 7 ? "https://ex.test/ü?q=\"x\"" : null }));
      for (const r of rows) buffer.add(r, { ip: "8.8.8.8", country: false });
      await buffer.flush();
      expect(buffer.failures).toBe(0);
      const stored = await client.execute("SELECT count(*) n, count(DISTINCT ip_hash) hashes, max(ip_hash) hash, sum(ip_hash = '8.8.8.8') raw FROM clicks WHERE sub1 = 's1'");
      expect(stored.rows[0]).toMatchObject({ n: 2500, hashes: 1, hash: await salts.hash("8.8.8.8", 1_800_000_000_000), raw: 0 });
      // Every value arrives with its type (the rows travel as one JSON argument).
      const seventh = await client.execute({ sql: "SELECT typeof(created_at) t_at, created_at, is_bot, bot_reason, typeof(route_score) t_score, route_score, typeof(rubric_version) t_rv, rubric_version, referrer, typeof(sub3) t_sub3, sub2 FROM clicks WHERE id = ?", args: [rows[7]!.id] });
      expect(seventh.rows[0]).toMatchObject({ t_at: "integer", created_at: 1_800_000_000_000, is_bot: 1, bot_reason: "bot_user_agent", t_score: "real", route_score: 0.75, t_rv: "integer", rubric_version: 3, referrer: "https://ex.test/ü?q=\"x\"", t_sub3: "null", sub2: "n7" });
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

    test("the writer thread's report rollups: grouped in the app, one batch; a replayed write (ids already stored) adds nothing", async () => {
      const T = 1_800_000_000_000;
      const human = (ms: number, publisherId: string) => row({ id: uuidv7(T + ms), programId: "rp", publisherId, createdAt: T + ms });
      const rows = [human(0, "ra"), human(60_000, "ra"), human(1_200_000, "rb"), { ...human(1_300_000, "ra"), isBot: true, botReason: "ua" }].map(rowArgs);
      const w = await WorkerWriter.start({ url }, 5000);
      try {
        await w.write(rows.map((r) => [...r]));
        await w.write(rows.map((r) => [...r])); // a replayed spill: the strict INSERT fails, the exact variant adds nothing
        await w.write([[...rows[0]!], rowArgs(human(1_400_000, "rb"))]); // one stored id, one new
      } finally {
        await w.close();
      }
      const got = await client.execute("SELECT dim, key1, grain, key2, clicks FROM click_rollups WHERE (dim != 'P' AND key2 = 'rp') OR (dim = 'P' AND key2 IN ('ra', 'rb')) ORDER BY dim, key1, grain, key2");
      const want = await client.execute(`SELECT dim, key1, grain, key2, clicks FROM (
          SELECT 'G' AS dim, '' AS key1, g AS grain, program_id AS key2, count(*) AS clicks FROM clicks, (SELECT 1 AS g UNION ALL SELECT 2) WHERE program_id = 'rp' AND is_bot = 0 GROUP BY g, program_id
          UNION ALL SELECT 'P', '', g, publisher_id, count(*) FROM clicks, (SELECT 1 AS g UNION ALL SELECT 2) WHERE program_id = 'rp' AND is_bot = 0 GROUP BY g, publisher_id
          UNION ALL SELECT 'X', publisher_id, g, program_id, count(*) FROM clicks, (SELECT 1 AS g UNION ALL SELECT 2) WHERE program_id = 'rp' AND is_bot = 0 GROUP BY g, publisher_id)
        ORDER BY dim, key1, grain, key2`);
      expect(got.rows.map((r) => Array.from(r as unknown as ArrayLike<unknown>))).toEqual(want.rows.map((r) => Array.from(r as unknown as ArrayLike<unknown>)));
      expect(Number(got.rows.find((r) => r.dim === "G" && Number(r.grain) === 1)!.clicks)).toBe(4); // 3 humans + the new one; bots and replays not counted
    });
  });

  describe("money path on a libSQL server", () => {
    test("a group is one batch; a failing unit fails alone, rolled back whole, and the rest commit in one more round trip", async () => {
      await client.execute("CREATE TABLE wq_probe (id TEXT PRIMARY KEY, n INTEGER NOT NULL)");
      const counted = createClient({ url });
      let batches = 0;
      const batch = counted.batch.bind(counted);
      counted.batch = ((...a: Parameters<typeof batch>) => { batches++; return batch(...a); }) as typeof batch;
      const queue = new WriteQueue(counted);
      const unit = (id: string, n: number | null) => [
        { sql: "INSERT INTO wq_probe (id, n) VALUES (?, ?)", args: [`${id}-a`, 1] },
        { sql: "INSERT INTO wq_probe (id, n) VALUES (?, ?)", args: [`${id}-b`, n] },
      ];
      // The first unit goes out at once; the next five queue behind it and share one group.
      const runs = [queue.run(unit("u0", 1)), queue.run(unit("u1", 1)), queue.run(unit("u2", 1)), queue.run(unit("bad", null)), queue.run(unit("u4", 1)), queue.run(unit("u5", 1))];
      const settled = await Promise.allSettled(runs);
      expect(settled.map((x) => x.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
      expect(String((settled[3] as PromiseRejectedResult).reason)).toContain("NOT NULL");
      expect((settled[1] as PromiseFulfilledResult<{ rowsAffected: number }[]>).value).toEqual([{ rowsAffected: 1 }, { rowsAffected: 1 }]);
      const ids = (await client.execute("SELECT id FROM wq_probe ORDER BY id")).rows.map((r) => r.id);
      expect(ids).toEqual(["u0-a", "u0-b", "u1-a", "u1-b", "u2-a", "u2-b", "u4-a", "u4-b", "u5-a", "u5-b"]); // nothing of the bad unit
      expect(batches).toBe(3); // u0; the group (fails on bad-b); the group without bad — not one retry per unit
      await queue.close();
      counted.close();
    });

    test("bursts of postbacks are written as sets, several per commit, each conversion with its audit, change and inbox rows", async () => {
      const app = await makeTestApp({ DATABASE_URL: url, SECRETS_KEY: "sqld-test-shared-secrets-key-0123456789" });
      try {
        const n = await network(app);
        const clicks: string[] = [];
        for (let i = 0; i < 60; i++) clicks.push((await click(app, n.pathA)).clickId);
        await app.ctx.clicks.flush();
        const before = { ...app.ctx.writes.stats };
        const wave = (w: number) => Promise.all(clicks.slice(w * 30, w * 30 + 30).map(async (c, i) => {
          const res = await postback(app, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: `burst-${w}-${i}`, order_value: "12.34", order_currency: "USD", lc_click: c });
          return { status: res.status, body: await res.json() };
        }));
        const answers = [...await wave(0), ...await wave(1)];
        expect(answers.map((a) => `${a.status} ${a.body.status}`)).toEqual(Array(60).fill("200 created"));
        const stats = app.ctx.writes.stats;
        expect(stats.units - before.units).toBeGreaterThanOrEqual(60);
        expect(stats.setUnits - before.setUnits).toBeGreaterThan(30);
        expect(stats.commits - before.commits).toBeLessThan(30);
        const ids = answers.map((a) => a.body.conversion.id as string);
        const count = async (sql: string) => Number((await client.execute({ sql, args: ids })).rows[0]![0]);
        const list = ids.map(() => "?").join(",");
        expect(await count(`SELECT count(*) FROM conversions WHERE id IN (${list}) AND publisher_id IS NOT NULL AND order_value_minor = 1234`)).toBe(60);
        expect(await count(`SELECT count(DISTINCT entity_id) FROM audit_log WHERE action = 'conversion.created' AND entity_id IN (${list})`)).toBe(60);
        expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'conversion.created' AND entity_id IN (${list})`)).toBe(60);
        expect(await count(`SELECT count(*) FROM changes WHERE kind = 'conversion.created' AND entity_id IN (${list})`)).toBe(60);
        expect(await count(`SELECT count(*) FROM inbox WHERE verdict = 'accepted' AND conversion_id IN (${list})`)).toBe(60);
      } finally {
        await app.close();
      }
    });

    test("concurrent postbacks share one click lookup and each is attributed to its own click", async () => {
      const app = await makeTestApp({ DATABASE_URL: url, SECRETS_KEY: "sqld-test-shared-secrets-key-0123456789" });
      try {
        const info = await seedDemo(app.ctx);
        const programId = info.programs[0]!.id;
        const path = new URL(info.links[0]!.url).pathname;
        const clickIds: string[] = [];
        for (let i = 0; i < 6; i++) {
          const go = await app.request(path, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0" }, peer: `203.0.113.${i + 1}` });
          expect(go.status).toBe(302);
          clickIds.push(new URL(go.headers.get("location")!).searchParams.get("lc_click")!);
        }
        await app.ctx.clicks.flush(); // stored on the server: the lookups must go there
        expect(app.ctx.serverReads).toBeDefined();
        // One postback first: the brand key and program are then cached, as under steady load.
        const warm = await app.request("/api/conv", { method: "POST", token: info.keys!.liveKey,
          json: { program_id: programId, brand_order_ref: "coalesce-warm", order_value: "1.00", order_currency: "USD" } });
        expect(warm.status).toBe(200);
        const before = app.ctx.serverReads!.queries;
        const unknown = "01a19c21-7200-7000-8000-000000000000"; // a well-formed id no click has
        const refs = [...clickIds, unknown];
        const answers = await Promise.all(refs.map((ref, i) => app.request("/api/conv", {
          method: "POST", token: info.keys!.liveKey,
          json: { program_id: programId, brand_order_ref: `coalesce-${i}`, order_value: "20.00", order_currency: "USD", lc_click: ref },
        })));
        const bodies = await Promise.all(answers.map(async (r) => ({ status: r.status, body: (await r.json()) as { status: string; conversion: { click_id: string | null; publisher_id: string | null } } })));
        for (let i = 0; i < clickIds.length; i++) {
          expect(bodies[i]!.status).toBe(200);
          expect(bodies[i]!.body.status).toBe("created");
          expect(bodies[i]!.body.conversion.click_id).toBe(clickIds[i]!);
          expect(bodies[i]!.body.conversion.publisher_id).not.toBeNull();
        }
        expect(bodies[6]!.status).toBe(200);
        expect(bodies[6]!.body.conversion.click_id).toBeNull();
        expect(bodies[6]!.body.conversion.publisher_id).toBeNull();
        const queries = app.ctx.serverReads!.queries - before;
        expect(queries).toBeGreaterThanOrEqual(1);
        expect(queries).toBeLessThanOrEqual(2); // 7 postbacks, not 7 round trips
        const stored = await client.execute({ sql: `SELECT count(*) n FROM conversions WHERE brand_order_ref LIKE 'coalesce-%' AND click_id IS NOT NULL`, args: [] });
        expect(stored.rows[0]!.n).toBe(6);
      } finally {
        await app.close();
      }
    });
  });
}
