import { afterAll, beforeAll, expect, test } from "bun:test";
import type { FeedEvent } from "../../src/changes";
import { reattributeLate } from "../../src/conversions/reattribute-late";
import type { ConversionEvent } from "../../src/shared/event-bus";
import type { TestApp } from "./app";
import { api, click, makeBrand, network, postback } from "./factories";
import { hmacBase64 } from "./sign";

export interface Pair { a: TestApp; b: TestApp; close(): Promise<void> }

/** Polls `check` until it holds; fails if it still does not after `ms` of real time. Returns the time taken. */
export async function within(ms: number, check: () => Promise<boolean> | boolean): Promise<number> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await Bun.sleep(10);
  }
  return performance.now() - start;
}

const REFERSION_SECRET = "refersion-shared-secret-xyz";

/**
 * Two instances (a, b) on one database. `a` buffers clicks for 10 s (another
 * instance's buffer not yet flushed); both have fake clocks that stand still,
 * so a cache could only be refreshed by the change feed, never by its TTL.
 */
export function crossInstanceTests(open: () => Promise<Pair>) {
  let pair: Pair;
  let a: TestApp;
  let b: TestApp;
  let n: Awaited<ReturnType<typeof network>>;
  beforeAll(async () => {
    pair = await open();
    ({ a, b } = pair);
    n = await network(a);
  });
  afterAll(() => pair?.close());

  test("pausing a program on instance a: instance b's cached link answers 410 within a second", async () => {
    expect((await b.request(n.pathB, { headers: { "user-agent": "Mozilla/5.0 Chrome/130" } })).status).toBe(302); // cached on b
    await api(a, "PATCH", `/api/admin/programs/${n.program.id}`, { status: "paused" });
    const ms = await within(1000, async () => (await b.request(n.pathB)).status === 410);
    expect(ms).toBeLessThan(1000);
    // Unpausing travels the same way.
    await api(a, "PATCH", `/api/admin/programs/${n.program.id}`, { status: "active" });
    await within(1000, async () => (await b.request(n.pathB)).status === 302);
  });

  test("revoking a brand key on instance a: instance b refuses it (401) within a second", async () => {
    const brand = await makeBrand(a, "Revoked Co");
    const prog = await api(a, "POST", "/api/admin/programs", {
      brand_id: brand.id, name: "R", dest_url: "https://r.example/", commission_type: "percentage", commission_value: "10", currency: "USD",
    });
    const send = (ref: string) => postback(b, brand.liveKey, { program_id: prog.id, brand_order_ref: ref, order_value: "10.00", order_currency: "USD" });
    expect((await send("before")).status).toBe(200); // the key is now cached on b
    const keys = await api(a, "GET", `/api/admin/brands/${brand.id}/api-keys`);
    const live = keys.data.find((k: { mode: string }) => k.mode === "live");
    await api(a, "DELETE", `/api/admin/brands/${brand.id}/api-keys/${live.id}`);
    let i = 0;
    await within(1000, async () => (await send(`after-${i++}`)).status === 401);
  });

  test("a conversion recorded on instance b reaches instance a's subscribers and EventBus within a second, with its seq", async () => {
    const seen: FeedEvent[] = [];
    const other: FeedEvent[] = [];
    const bus: ConversionEvent[] = [];
    const stop1 = await a.ctx.changes.subscribe({ kinds: ["conversion."], brandId: n.brand.id }, (e) => seen.push(e));
    const stop2 = await a.ctx.changes.subscribe({ kinds: ["conversion."], brandId: "someone-else" }, (e) => other.push(e));
    const stop3 = a.ctx.events.subscribe((e) => bus.push(e));
    try {
      const { clickId } = await click(b, n.pathB);
      await Bun.sleep(30); // b's own buffer flushes every 10 ms
      const res = await postback(b, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: "X-1", order_value: "100.00", order_currency: "USD", lc_click: clickId });
      expect(res.status).toBe(200);
      const conv = (await res.json()).conversion;
      await within(1000, () => seen.length >= 1 && bus.some((e) => e.conversionId === conv.id));
      expect(seen[0]).toMatchObject({ kind: "conversion.created", entityId: conv.id, brandId: n.brand.id, publisherId: n.pubB.id, programId: n.program.id });
      expect(seen[0]!.seq).toBeGreaterThan(0);
      expect(seen[0]!.payload).toMatchObject({ status: "pending", publisher_payout_minor: 800, currency: "USD", is_test: false });
      expect(bus.find((e) => e.conversionId === conv.id)).toMatchObject({ type: "conversion.created", conversionId: conv.id, seq: seen[0]!.seq, publisherId: n.pubB.id });
      await api(b, "POST", `/api/admin/conversions/${conv.id}/approve`);
      await within(1000, () => seen.length >= 2);
      expect(seen[1]).toMatchObject({ kind: "conversion.approved", entityId: conv.id });
      expect(seen[1]!.seq).toBeGreaterThan(seen[0]!.seq);
      expect(other).toEqual([]); // another brand's page hears nothing
    } finally {
      stop1(); stop2(); stop3();
    }
  });

  test("a click still in instance a's buffer: the postback on b is stored unattributed, then credited once the click is written", async () => {
    const seen: FeedEvent[] = [];
    const stop = await a.ctx.changes.subscribe({ kinds: ["conversion.attributed"] }, (e) => seen.push(e));
    try {
      const { clickId } = await click(a, n.pathA); // buffered on a for up to 10 s
      const res = await postback(b, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: "LATE-1", order_value: "50.00", order_currency: "USD", lc_click: clickId });
      const conv = (await res.json()).conversion;
      expect(conv).toMatchObject({ publisher_id: null, attribution: "click_not_found" });
      // Before the flush: the job looks, finds nothing, and waits.
      b.clock.advance(2_000);
      expect(await reattributeLate(b.ctx)).toMatchObject({ done: 0, skipped: 1, failures: 0 });
      await a.ctx.clicks.flush();
      b.clock.advance(2_000);
      expect(await reattributeLate(b.ctx)).toMatchObject({ done: 1, failures: 0 });
      const after = await api(b, "GET", `/api/admin/conversions/${conv.id}`);
      expect(after).toMatchObject({ publisher_id: n.pubA.id, attribution: "credited", click_id: clickId, publisher_payout: "4.00", status: "pending" });
      const audit = await api(b, "GET", `/api/admin/audit?entity_id=${conv.id}`);
      expect(audit.data.map((r: { action: string }) => r.action)).toContain("conversion.attributed");
      await within(1000, () => seen.length === 1);
      expect(seen[0]).toMatchObject({ kind: "conversion.attributed", entityId: conv.id, publisherId: n.pubA.id });
      // Nothing left to do: a re-run changes nothing.
      b.clock.advance(2_000);
      expect(await reattributeLate(b.ctx)).toMatchObject({ done: 0, skipped: 0, alreadyDone: 0 });
    } finally {
      stop();
    }
  });

  test("a webhook secret sealed by instance a is opened by instance b (one shared secrets key)", async () => {
    await api(a, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", mode: "live", secret: REFERSION_SECRET });
    const body = JSON.stringify({ id: 1, status: "PENDING", total: "20.00", commission_total: "2.00", currency: "usd", is_test_conversion: false, order_id: "RF-1", click: { sub_id: null } });
    const res = await b.request("/api/affiliate/webhook?provider=refersion", {
      method: "POST", body, headers: { "content-type": "application/json", "refersion-signature": hmacBase64(REFERSION_SECRET, body) },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe("created");
  });
}
