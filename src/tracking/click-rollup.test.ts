import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { makeTestApp, T0, type TestApp } from "../../test/helpers/app";
import { rowArgs, type ClickRow } from "./click-rows";
import { InlineWriter, WorkerWriter } from "./click-writer";
import { uuidv7 } from "../shared/ids";

// The click writers add each stored human click to the report rollups in the same
// transaction, exactly once: a replayed write (the spill file after a crash) adds nothing.
let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(() => t.close());

function row(over: Partial<ClickRow>): ClickRow {
  return {
    id: uuidv7(T0), approvalId: "ap1", programId: "prog1", publisherId: "pub1", createdAt: T0, ipHash: null, userAgent: "UA", country: null, referrer: null,
    utmSource: null, utmMedium: null, utmCampaign: null, utmTerm: null, utmContent: null, sub1: null, sub2: null, sub3: null, sub4: null, sub5: null,
    refCode: null, isBot: false, botReason: null, via: "link", smartLinkId: null, rubricVersion: null, routeScore: null, routeCriteria: null, ...over,
  };
}

async function rollup(programId: string) {
  const rs = await t.ctx.client.execute({ sql: "SELECT dim, key1, grain, bucket, key2, clicks FROM click_rollups WHERE (dim != 'P' AND key2 = ?) OR (dim = 'P' AND key1 = '' AND key2 IN (SELECT publisher_id FROM clicks WHERE program_id = ?)) ORDER BY dim, key1, grain, bucket, key2", args: [programId, programId] });
  return rs.rows.map((r) => [r.dim, r.key1, Number(r.grain), Number(r.bucket), r.key2, Number(r.clicks)]);
}

/** Two humans on one publisher, one 20 minutes later on another (same hour); one bot. */
function batch(programId: string) {
  return [
    row({ id: uuidv7(T0), programId, publisherId: `${programId}-a`, createdAt: T0 }),
    row({ id: uuidv7(T0 + 60_000), programId, publisherId: `${programId}-a`, createdAt: T0 + 60_000 }),
    row({ id: uuidv7(T0 + 1_200_000), programId, publisherId: `${programId}-b`, createdAt: T0 + 1_200_000 }),
    row({ id: uuidv7(T0 + 1_300_000), programId, publisherId: `${programId}-a`, createdAt: T0 + 1_300_000, isBot: true, botReason: "ua" }),
  ].map(rowArgs);
}

const H = T0 / 3_600_000, D = Math.floor(T0 / 86_400_000);
const expected = (p: string) => [
  ["G", "", 1, H, p, 3], ["G", "", 2, D, p, 3],
  ["P", "", 1, H, `${p}-a`, 2], ["P", "", 1, H, `${p}-b`, 1], ["P", "", 2, D, `${p}-a`, 2], ["P", "", 2, D, `${p}-b`, 1],
  ["X", `${p}-a`, 1, H, p, 2], ["X", `${p}-a`, 2, D, p, 2],
  ["X", `${p}-b`, 1, H, p, 1], ["X", `${p}-b`, 2, D, p, 1],
];

describe("click rollups from the writers", () => {
  test("in-thread writer: human clicks per hour and day in three dims; a replayed write adds nothing", async () => {
    const w = new InlineWriter(t.ctx.client);
    const rows = batch("inline");
    await w.write(rows.map((r) => [...r]));
    expect(await rollup("inline")).toEqual(expected("inline"));
    await w.write(rows.map((r) => [...r])); // the same ids again: the INSERT skips them, the rollup must too
    expect(await rollup("inline")).toEqual(expected("inline"));
  });

  test("worker-thread writer on the file: the same, in its own transaction", async () => {
    const w = await WorkerWriter.start({ path: join(t.dir, "test.db") }, 5000);
    try {
      const rows = batch("worker");
      await w.write(rows.map((r) => [...r]));
      await w.write(rows.map((r) => [...r]));
      await w.write([rows[3]!]); // only a bot: nothing to roll up
    } finally {
      await w.close();
    }
    expect(await rollup("worker")).toEqual(expected("worker"));
  });
});
