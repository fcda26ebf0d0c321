import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { GIVE_UP_MS, reattributeLate, uuidv7Time, YOUNG_CLICK_MS } from "../../src/conversions/reattribute-late";
import { uuidv7 } from "../../src/shared/ids";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, click, makeProgram, network, postback } from "../helpers/factories";

// Instance a holds its clicks in its buffer (10 s flush); postbacks reach instance b.
let a: TestApp;
let b: TestApp;
let n: Awaited<ReturnType<typeof network>>;
beforeAll(async () => {
  a = await makeTestApp({ CLICK_FLUSH_MS: "10000" });
  b = await makeTestApp({ DATABASE_URL: a.ctx.config.DATABASE_URL }, { now: a.clock.now() });
  n = await network(a);
});
afterAll(async () => { await b.close(); await a.close(); });

const send = async (clickRef: string, programId = n.program.id) => {
  const res = await postback(b, n.brand.liveKey, { program_id: programId, brand_order_ref: `L-${crypto.randomUUID()}`, order_value: "30.00", order_currency: "USD", lc_click: clickRef });
  expect(res.status).toBe(200);
  return (await res.json()).conversion as { id: string; publisher_id: string | null; attribution: string };
};
const pending = async (id: string) => (await b.ctx.client.execute({ sql: "select due_at from pending_attributions where conversion_id = ?", args: [id] })).rows.length;
/** A UUIDv7 for an exact millisecond, without moving the id generator's monotonic clock. */
const v7At = (ms: number) => {
  const ts = ms.toString(16).padStart(12, "0");
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7abc-8def-${crypto.randomUUID().slice(-12)}`;
};
/** "Now" on the id clock (ids are monotonic per process, so it can run ahead of a test's fake clock). */
const idNow = () => uuidv7Time(uuidv7(b.clock.now()))!;
const tick = (ms: number) => { a.clock.advance(ms); b.clock.advance(ms); };

describe("which unattributed conversions are queued", () => {
  test("uuidv7Time reads a UUIDv7's milliseconds and nothing else", () => {
    expect(uuidv7Time(v7At(1_800_000_000_123))).toBe(1_800_000_000_123);
    expect(uuidv7Time(crypto.randomUUID())).toBeNull(); // v4
    expect(uuidv7Time("not-a-uuid")).toBeNull();
  });

  test("a random (v4) id, an old UUIDv7 and one from the future are stored unattributed and not queued", async () => {
    for (const ref of [crypto.randomUUID(), v7At(idNow() - YOUNG_CLICK_MS - 1), v7At(idNow() + 60_000)]) {
      const conv = await send(ref);
      expect(conv).toMatchObject({ publisher_id: null, attribution: "click_not_found" });
      expect(await pending(conv.id)).toBe(0);
    }
  });

  test("a click found at once is credited and not queued", async () => {
    const { clickId } = await click(b, n.pathB);
    await Bun.sleep(25);
    const conv = await send(clickId);
    expect(conv.attribution).toBe("credited");
    expect(await pending(conv.id)).toBe(0);
  });
});

describe("the re-attribution job", () => {
  test("a click that never arrives: rechecked until the give-up time, then dropped; the conversion stays unattributed", async () => {
    const conv = await send(v7At(idNow() - 500));
    expect(await pending(conv.id)).toBe(1);
    expect(await reattributeLate(b.ctx)).toMatchObject({ done: 0, skipped: 0 }); // not due yet
    tick(2_000);
    expect(await reattributeLate(b.ctx)).toMatchObject({ skipped: 1 });
    expect(await pending(conv.id)).toBe(1);
    tick(GIVE_UP_MS);
    expect(await reattributeLate(b.ctx)).toMatchObject({ skipped: 1, failures: 0 });
    expect(await pending(conv.id)).toBe(0);
    expect(await api(b, "GET", `/api/admin/conversions/${conv.id}`)).toMatchObject({ publisher_id: null, attribution: "click_not_found" });
  });

  test("a conversion reversed before its click arrives is left alone", async () => {
    const { clickId } = await click(a, n.pathA);
    const conv = await send(clickId);
    await api(b, "POST", `/api/admin/conversions/${conv.id}/reverse`, { reason: "refund" });
    await a.ctx.clicks.flush();
    tick(2_000);
    expect(await reattributeLate(b.ctx)).toMatchObject({ done: 0, alreadyDone: 1 });
    expect(await api(b, "GET", `/api/admin/conversions/${conv.id}`)).toMatchObject({ publisher_id: null, status: "reversed", attribution: "click_not_found" });
  });

  test("a late click of another program: the reason becomes wrong_program (audited), nobody is credited", async () => {
    const other = await makeProgram(a, n.brand.id, { name: "Other" });
    const { clickId } = await click(a, n.pathA);
    const conv = await send(clickId, other.id);
    await a.ctx.clicks.flush();
    tick(2_000);
    expect(await reattributeLate(b.ctx)).toMatchObject({ done: 1 });
    const after = await api(b, "GET", `/api/admin/conversions/${conv.id}`);
    expect(after).toMatchObject({ publisher_id: null, attribution: "wrong_program", publisher_payout_minor: 0 });
    const audit = await api(b, "GET", `/api/admin/audit?entity_id=${conv.id}`);
    expect(audit.data.find((r: { action: string }) => r.action === "conversion.attributed")).toBeTruthy();
    const feed = await b.ctx.client.execute({ sql: "select count(*) from changes where entity_id = ? and kind = 'conversion.attributed'", args: [conv.id] });
    expect(Number(feed.rows[0]![0])).toBe(0);
  });

  test("two instances running the job at once credit the conversion once: one audit row, one feed row, one outbox row", async () => {
    await api(a, "POST", `/api/admin/publishers/${n.pubA.id}/postbacks`, { url: "https://pub.example/pb?c={conversion_id}", events: ["conversion.created"] });
    const { clickId } = await click(a, n.pathA);
    const conv = await send(clickId);
    await a.ctx.clicks.flush();
    tick(2_000);
    const [ra, rb] = await Promise.all([reattributeLate(a.ctx), reattributeLate(b.ctx)]);
    expect(ra.done + rb.done).toBe(1);
    expect(ra.failures + rb.failures).toBe(0);
    const count = async (q: string) => Number((await b.ctx.client.execute({ sql: q, args: [conv.id] })).rows[0]![0]);
    expect(await count("select count(*) from audit_log where entity_id = ? and action = 'conversion.attributed'")).toBe(1);
    expect(await count("select count(*) from changes where entity_id = ? and kind = 'conversion.attributed'")).toBe(1);
    // The publisher's own tracker hears of the sale once it is theirs.
    expect(await count("select count(*) from outbox where conversion_id = ? and event = 'conversion.created'")).toBe(1);
    expect(await api(b, "GET", `/api/admin/conversions/${conv.id}`)).toMatchObject({ publisher_id: n.pubA.id, attribution: "credited", publisher_payout_minor: 240 });
  });
});
