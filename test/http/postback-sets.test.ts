import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, click, network, postback } from "../helpers/factories";

// Concurrent postbacks share a group commit and are written as sets (one statement per table
// for the whole group, src/db/set-writes.ts). Each must end exactly as if written alone.
let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
beforeAll(async () => { t = await makeTestApp(); n = await network(t); });
afterAll(async () => { await t.close(); });

const rows = async (sql: string, args: (string | number)[] = []): Promise<Record<string, unknown>[]> => {
  const rs = await t.ctx.client.execute({ sql, args });
  return rs.rows.map((r) => Object.fromEntries(rs.columns.map((c, i) => [c, r[i]])));
};

test("a burst of postbacks: each created one has its audit, change, inbox and outbox rows once; duplicates in the same group write nothing", async () => {
  await api(t, "POST", `/api/admin/publishers/${n.pubA.id}/postbacks`, { url: "https://hooks.example.test/conv?c={conversion_id}", events: ["conversion.created"] });
  const clicks = [];
  for (let i = 0; i < 12; i++) clicks.push((await click(t, i % 2 ? n.pathB : n.pathA)).clickId);
  await t.ctx.clicks.flush();
  const before = { ...t.ctx.writes.stats };
  const bodies = [
    ...clicks.map((c, i) => ({ program_id: n.program.id, brand_order_ref: `SET-${i}`, order_value: `${10 + i}.25`, order_currency: "USD", lc_click: c })),
    { program_id: n.program.id, brand_order_ref: "SET-3", order_value: "13.25", order_currency: "USD", lc_click: clicks[3]! }, // a resend racing the original
    { program_id: n.program.id, brand_order_ref: "SET-none", order_value: "5.00", order_currency: "USD" }, // no click: nobody credited
  ];
  const answers = await Promise.all(bodies.map(async (b) => {
    const res = await postback(t, n.brand.liveKey, b);
    return { status: res.status, body: await res.json() };
  }));
  expect(answers.map((a) => a.status)).toEqual(Array(bodies.length).fill(200));
  expect(t.ctx.writes.stats.setUnits - before.setUnits).toBeGreaterThan(1); // they really shared sets

  const created = answers.filter((a) => a.body.status === "created").map((a) => a.body.conversion);
  const dupes = answers.filter((a) => a.body.status === "duplicate");
  expect(created).toHaveLength(13);
  expect(dupes).toHaveLength(1);
  expect(dupes[0]!.body.conversion.id).toBe(created.find((c: { brand_order_ref: string }) => c.brand_order_ref === "SET-3")!.id);

  for (const c of created) {
    const [conv] = await rows("SELECT order_value_minor, typeof(order_value_minor) t, is_test, typeof(is_test) tt, publisher_id, commission_minor FROM conversions WHERE id = ?", [c.id]);
    expect(conv).toMatchObject({ t: "integer", tt: "integer", is_test: 0 });
    expect(conv!.order_value_minor).toBe(Math.round(Number(c.order_value) * 100));
    expect(await rows("SELECT action, to_status FROM audit_log WHERE entity_type = 'conversion' AND entity_id = ?", [c.id])).toEqual([{ action: "conversion.created", to_status: "pending" }]);
    expect(await rows("SELECT kind FROM changes WHERE entity_id = ?", [c.id])).toEqual([{ kind: "conversion.created" }]);
    expect(await rows("SELECT verdict, status_code FROM inbox WHERE conversion_id = ? AND verdict = 'accepted'", [c.id])).toEqual([{ verdict: "accepted", status_code: 200 }]);
    const queued = await rows("SELECT event, status FROM outbox WHERE conversion_id = ?", [c.id]);
    expect(queued).toEqual(conv!.publisher_id === n.pubA.id ? [{ event: "conversion.created", status: "pending" }] : []);
  }
  // The duplicate's own inbox row says so, and it is the only extra row anywhere.
  expect(await rows("SELECT count(*) n FROM conversions WHERE brand_order_ref LIKE 'SET-%'")).toEqual([{ n: 13 }]);
  expect(await rows("SELECT count(*) n FROM audit_log WHERE action = 'conversion.created'")).toEqual([{ n: 13 }]);
  expect(await rows("SELECT verdict FROM inbox WHERE conversion_id = ? ORDER BY received_at", [dupes[0]!.body.conversion.id])).toEqual([{ verdict: "accepted" }, { verdict: "duplicate" }]);
  const credited = created.filter((c: { publisher_id: string | null }) => c.publisher_id !== null);
  expect(credited).toHaveLength(12);
  expect(await rows("SELECT count(*) n FROM outbox")).toEqual([{ n: credited.filter((c: { publisher_id: string }) => c.publisher_id === n.pubA.id).length }]);
});
