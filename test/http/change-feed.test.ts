import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { pruneChanges, type FeedEvent } from "../../src/changes";
import { POKE_DELAY_MS, REPLAY_LIMIT } from "../../src/changes/feed";
import { makeTestApp, type TestApp } from "../helpers/app";
import { within } from "../helpers/cross-instance";
import { api, click, network, postback } from "../helpers/factories";

let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
beforeAll(async () => { t = await makeTestApp(); n = await network(t); });
afterAll(() => t.close());

const order = async (path = n.pathA, ref = `O-${crypto.randomUUID()}`) => {
  const { clickId } = await click(t, path);
  await Bun.sleep(25); // let the click buffer (10 ms) write it
  const res = await postback(t, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: ref, order_value: "20.00", order_currency: "USD", lc_click: clickId });
  expect(res.status).toBe(200);
  return (await res.json()).conversion as { id: string; publisher_id: string | null };
};
const collect = async (filter: Parameters<TestApp["ctx"]["changes"]["subscribe"]>[0], fromSeq?: number) => {
  const seen: FeedEvent[] = [];
  const stop = await t.ctx.changes.subscribe(filter, (e) => seen.push(e), fromSeq);
  return { seen, stop };
};
const rowCount = async (where = "1=1") => Number((await t.ctx.client.execute(`select count(*) from changes where ${where}`)).rows[0]![0]);

describe("change feed: written with the change", () => {
  test("a conversion on this instance is delivered once, right after commit, with the scope a page filters on", async () => {
    const { seen, stop } = await collect({ kinds: ["conversion."], publisherId: n.pubA.id });
    const conv = await order();
    await within(200, () => seen.length === 1); // poked at commit: no waiting for the next poll
    await Bun.sleep(350); // and the regular polls do not deliver it again
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ kind: "conversion.created", entityId: conv.id, publisherId: n.pubA.id, brandId: n.brand.id, programId: n.program.id });
    stop();
  });

  test("local commits poll once per POKE_DELAY_MS window, and every committed change is still delivered", async () => {
    // 20 pokes 2 ms apart (a commit every 2 ms): one read per 20 ms window, not one per commit.
    await t.ctx.changes.caughtUp();
    const pollsBefore = t.ctx.changes.polls;
    for (let i = 0; i < 20; i++) { t.ctx.changes.pokeSoon(); await Bun.sleep(2); }
    await Bun.sleep(POKE_DELAY_MS * 2);
    expect(t.ctx.changes.polls - pollsBefore).toBeLessThanOrEqual(5); // ~2 windows + the 150 ms timer

    const { seen, stop } = await collect({ kinds: ["conversion.created"], brandId: n.brand.id });
    const clicks = await Promise.all(Array.from({ length: 12 }, () => click(t, n.pathA)));
    await Bun.sleep(25); // let the click buffer write them
    for (const { clickId } of clicks) { // one after another: each its own commit
      const res = await postback(t, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: `W-${crypto.randomUUID()}`, order_value: "20.00", order_currency: "USD", lc_click: clickId });
      expect(res.status).toBe(200);
    }
    await within(500, () => seen.length === 12);
    expect(new Set(seen.map((e) => e.entityId)).size).toBe(12);
    stop();
  });

  test("a duplicate postback and a refused transition write no change row", async () => {
    const ref = `DUP-${crypto.randomUUID()}`;
    const conv = await order(n.pathA, ref);
    const before = await rowCount();
    const again = await postback(t, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: ref, order_value: "20.00", order_currency: "USD" });
    expect((await again.json()).status).toBe("duplicate");
    await api(t, "POST", `/api/admin/conversions/${conv.id}/reverse`, { reason: "refund" });
    const refused = await t.request(`/api/admin/conversions/${conv.id}/approve`, { method: "POST", token: t.adminToken });
    expect(refused.status).toBe(409);
    expect(await rowCount()).toBe(before + 1); // only the reversal
    expect(await rowCount(`entity_id = '${conv.id}' and kind = 'conversion.reversed'`)).toBe(1);
  });

  test("admin changes are in the feed; a subscriber's kinds (exact or prefix) and scope filter them", async () => {
    const programs = await collect({ kinds: ["program."] });
    const exact = await collect({ kinds: ["approval.status_changed"], programId: n.program.id });
    const otherProgram = await collect({ kinds: ["approval."], programId: "not-this-one" });
    await api(t, "PATCH", `/api/admin/programs/${n.program.id}`, { cookie_window_days: 45 });
    await api(t, "PATCH", `/api/admin/approvals/${n.linkB.id}`, { status: "suspended" });
    await t.ctx.changes.caughtUp();
    expect(programs.seen.map((e) => e.kind)).toEqual(["program.updated"]);
    expect(exact.seen).toHaveLength(1);
    expect(exact.seen[0]).toMatchObject({ kind: "approval.status_changed", entityId: n.linkB.id, publisherId: n.pubB.id, payload: { status: "suspended" } });
    expect(otherProgram.seen).toEqual([]);
    for (const s of [programs, exact, otherProgram]) s.stop();
    await api(t, "PATCH", `/api/admin/approvals/${n.linkB.id}`, { status: "approved" });
  });
});

describe("change feed: many subscribers", () => {
  test("each is checked by its scope (publisher, brand, program or none) and hears exactly its own; one that stops hears no more", async () => {
    const many = (k: number, filter: Parameters<typeof collect>[0]) => Promise.all(Array.from({ length: k }, () => collect(filter)));
    const kinds = ["conversion."];
    const [pubA, pubB, brand, otherBrand, program, all, pubAOtherProgram, approvals] = await Promise.all([
      many(20, { kinds, publisherId: n.pubA.id }), many(20, { kinds, publisherId: n.pubB.id }),
      many(10, { kinds, brandId: n.brand.id }), many(5, { kinds, brandId: "not-this-brand" }),
      many(5, { kinds, programId: n.program.id }), many(10, { kinds }),
      many(5, { kinds, publisherId: n.pubA.id, programId: "not-this-program" }), many(5, { kinds: ["approval."] }),
    ]);
    const gone = pubA.pop()!;
    gone.stop();
    const conv = await order(n.pathA);
    await t.ctx.changes.caughtUp();
    const heard = (subs: { seen: FeedEvent[] }[]) => subs.map((s) => s.seen.filter((e) => e.entityId === conv.id).length);
    for (const subs of [pubA, brand, program, all]) expect(heard(subs)).toEqual(subs.map(() => 1));
    for (const subs of [pubB, otherBrand, pubAOtherProgram, approvals, [gone]]) expect(heard(subs)).toEqual(subs.map(() => 0));
    for (const subs of [pubA, pubB, brand, otherBrand, program, all, pubAOtherProgram, approvals]) for (const s of subs) s.stop();
    // Stopped subscribers leave no empty groups behind to walk: a later conversion reaches a new one alone.
    const late = await collect({ kinds, publisherId: n.pubA.id });
    const next = await order(n.pathA);
    await t.ctx.changes.caughtUp();
    expect(late.seen.map((e) => e.entityId)).toEqual([next.id]);
    expect(heard(pubA)).toEqual(pubA.map(() => 1));
    late.stop();
  });
});

describe("change feed: reconnecting with Last-Event-ID", () => {
  test("replays what was missed, in order, then continues live without a repeat", async () => {
    const first = await collect({ kinds: ["conversion.created"], brandId: n.brand.id });
    const a = await order();
    await within(500, () => first.seen.length === 1);
    first.stop(); // the page disconnects here...
    const b = await order();
    const c = await order(n.pathB);
    const lastEventId = first.seen[0]!.seq;
    const again = await collect({ kinds: ["conversion.created"], brandId: n.brand.id }, lastEventId); // ...and comes back
    expect(again.seen.map((e) => e.entityId)).toEqual([b.id, c.id]);
    const d = await order();
    await within(500, () => again.seen.length === 3);
    await Bun.sleep(200);
    expect(again.seen.map((e) => e.entityId)).toEqual([b.id, c.id, d.id]);
    const seqs = again.seen.map((e) => e.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(seqs[0]).toBeGreaterThan(lastEventId);
    expect(a.id).not.toBe(b.id);
    again.stop();
  });

  test("replay honours the filter: another publisher's conversions are not replayed", async () => {
    await t.ctx.changes.caughtUp(); // local commits are polled POKE_DELAY_MS later
    const from = t.ctx.changes.lastSeq;
    await order(n.pathA);
    const mine = await order(n.pathB);
    const r = await collect({ kinds: ["conversion."], publisherId: n.pubB.id }, from);
    expect(r.seen.map((e) => e.entityId)).toEqual([mine.id]);
    r.stop();
  });

  test("too far behind (more than the replay window): one feed.reset, then live events again", async () => {
    await t.ctx.changes.caughtUp(); // local commits are polled POKE_DELAY_MS later
    const from = t.ctx.changes.lastSeq;
    await t.ctx.client.execute({
      sql: `with recursive k(i) as (select 1 union all select i + 1 from k where i < ?)
        insert into changes (at, kind, entity_id, brand_id, origin) select ?, 'conversion.created', 'bulk-' || i, ?, 'elsewhere' from k`,
      args: [REPLAY_LIMIT + 1, t.clock.now(), n.brand.id],
    });
    const r = await collect({ brandId: n.brand.id }, from);
    expect(r.seen).toHaveLength(1);
    expect(r.seen[0]!.kind).toBe("feed.reset");
    const resetSeq = r.seen[0]!.seq;
    expect(resetSeq).toBeGreaterThanOrEqual(from + REPLAY_LIMIT + 1);
    const live = await order();
    await within(500, () => r.seen.length === 2);
    expect(r.seen[1]).toMatchObject({ kind: "conversion.created", entityId: live.id });
    r.stop();
  });

  test("retention: the job drops rows older than CHANGES_RETENTION_HOURS; a client from before them gets feed.reset", async () => {
    await t.ctx.changes.caughtUp();
    const oldSeq = t.ctx.changes.lastSeq;
    const total = await rowCount();
    t.clock.advance(23 * 3_600_000);
    const kept = await order(); // 23 h after everything else
    t.clock.advance(2 * 3_600_000);
    const res = await pruneChanges(t.ctx);
    expect(res).toMatchObject({ done: total, failures: 0 });
    expect(await rowCount()).toBe(1);
    expect(await pruneChanges(t.ctx)).toMatchObject({ done: 0 }); // safe to re-run
    const stale = await collect({}, 1);
    expect(stale.seen.map((e) => e.kind)).toEqual(["feed.reset"]);
    const fresh = await collect({}, oldSeq); // the one row after it is still there
    expect(fresh.seen.map((e) => e.entityId)).toEqual([kept.id]);
    stale.stop(); fresh.stop();
  });
});
