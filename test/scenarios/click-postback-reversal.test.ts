import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, click, network, postback } from "../helpers/factories";
import { DAY_MS } from "../../src/shared/clock";

// Two publishers click, the brand posts, the right one is credited, the duplicate
// post is `duplicate`, the reversal works and the audit rows are there.
let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(() => t.close());

test("scenario: last click across publishers -> postback -> duplicate -> reversal -> audit", async () => {
  const n = await network(t, { commission_type: "flat_cpa", commission_value: "12.50", network_fee_pct: "20" });

  // Visitor clicks publisher A's link on day 0, publisher B's on day 2.
  await click(t, n.pathA);
  t.clock.advance(2 * DAY_MS);
  const { clickId: lastClick } = await click(t, n.pathB);
  // The browser now holds B's click id (the cookie is overwritten by the last click).
  t.clock.advance(1 * DAY_MS);

  const order = { program_id: n.program.id, brand_order_ref: "ORDER-2026-0001", order_value: 99.0, order_currency: "USD", lc_click: lastClick };
  const created = await (await postback(t, n.brand.liveKey, order)).json();
  expect(created.status).toBe("created");
  expect(created.conversion).toMatchObject({ publisher_id: n.pubB.id, commission: "12.50", network_fee: "2.50", publisher_payout: "10.00" });

  const dup = await (await postback(t, n.brand.liveKey, order)).json();
  expect(dup).toMatchObject({ status: "duplicate", conversion: { id: created.conversion.id } });

  // Publisher B's earnings are visible to the admin, filtered.
  const bList = await api(t, "GET", `/api/admin/conversions?publisher_id=${n.pubB.id}`);
  expect(bList.data.map((c: { id: string }) => c.id)).toEqual([created.conversion.id]);
  expect((await api(t, "GET", `/api/admin/conversions?publisher_id=${n.pubA.id}`)).data).toEqual([]);

  // The brand refunds the order a week later.
  t.clock.advance(7 * DAY_MS);
  const rev = await t.request(`/api/conversions/${created.conversion.id}/reverse`, { method: "POST", token: n.brand.liveKey, json: { reason: "refund RMA-77" } });
  expect(rev.status).toBe(200);
  expect((await rev.json()).conversion).toMatchObject({ status: "reversed", reversal_reason: "refund RMA-77" });

  const trail = await api(t, "GET", `/api/admin/audit?entity_type=conversion&entity_id=${created.conversion.id}`);
  expect(trail.data.map((r: { action: string; actor_type: string }) => [r.action, r.actor_type])).toEqual([
    ["conversion.reversed", "brand"],
    ["conversion.created", "brand"],
  ]);
  expect(trail.data[1].data).toMatchObject({ commission_minor: 1250, network_fee_minor: 250, publisher_payout_minor: 1000, currency: "USD" });
});
