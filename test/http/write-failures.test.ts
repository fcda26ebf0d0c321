import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@libsql/client";
import { boot } from "../../src/boot";
import { loadConfig } from "../../src/config";
import { ClickBuffer, type ClickRow } from "../../src/tracking/click-buffer";
import { makeTestApp } from "../helpers/app";
import { network, postback } from "../helpers/factories";

const row = (id: string): ClickRow => ({
  id, approvalId: "a", programId: "p", publisherId: "u", createdAt: 1, ipHash: "h", userAgent: "ua", country: null, referrer: null,
  utmSource: null, utmMedium: null, utmCampaign: null, utmTerm: null, utmContent: null, sub1: "s1", sub2: null, sub3: null, sub4: null, sub5: null,
  refCode: null, isBot: false, botReason: null, via: "link",
  smartLinkId: null, rubricVersion: null, routeScore: null, routeCriteria: null,
});

test("a stop that cannot reach the database saves accepted clicks to disk; the next start writes them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lastclick-spill-"));
  try {
    const failing = { execute: async () => { throw new Error("disk on fire"); }, batch: async () => { throw new Error("disk on fire"); } } as unknown as Client;
    const buffer = new ClickBuffer(failing, { flushMs: 5, batchSize: 10, spillDir: dir, closeTimeoutMs: 300 });
    for (const id of ["01900000-0000-7000-8000-000000000001", "01900000-0000-7000-8000-000000000002"]) buffer.add(row(id));
    await expect(buffer.close()).rejects.toThrow(/2 accepted clicks could not be written; saved to/);
    expect(readdirSync(dir).filter((f) => f.startsWith("unwritten-clicks-")).length).toBe(1);

    const { ctx, database } = await boot(loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, SCHEDULER: "off" }), { geoBytes: null });
    const stored = await ctx.client.execute("select id, sub1 from clicks order by id");
    expect(stored.rows.map((r) => [r.id, r.sub1])).toEqual([["01900000-0000-7000-8000-000000000001", "s1"], ["01900000-0000-7000-8000-000000000002", "s1"]]);
    expect(readdirSync(dir).some((f) => f.startsWith("unwritten-clicks-"))).toBe(false);
    await ctx.clicks.close();
    database.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);

test("if the commit thread dies, callers in flight get an error and later postbacks commit on the request thread", async () => {
  const t = await makeTestApp();
  try {
    const n = await network(t);
    const ok = await t.ctx.writes.useThread(join(t.dir, "test.db"));
    expect(ok.ok).toBe(true);
    const send = (ref: string) => postback(t, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: ref, order_value: "5", order_currency: "USD" });
    expect((await send("T-1")).status).toBe(200);
    // Kill the thread the hard way.
    (t.ctx.writes as unknown as { thread: { worker: Worker } }).thread.worker.terminate();
    await Bun.sleep(50);
    const after = await send("T-2");
    expect([200, 500]).toContain(after.status); // the unit in flight when it died may fail...
    const again = await send("T-3");
    expect(again.status).toBe(200); // ...but the queue keeps working inline
    expect(existsSync(join(t.dir, "test.db"))).toBe(true);
    const rows = await t.ctx.client.execute("select brand_order_ref from conversions order by brand_order_ref");
    expect(rows.rows.map((r) => r.brand_order_ref)).toContain("T-3");
  } finally {
    await t.ctx.writes.close();
    await t.close();
  }
}, 30_000);
