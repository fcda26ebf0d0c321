import { afterAll, beforeAll, expect, test } from "bun:test";
import { deliverDue } from "../../src/outbound/dispatch";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, click, network } from "../helpers/factories";
import { hmacBase64 } from "../helpers/sign";

// click -> platform webhook -> attributed -> platform re-delivers "approved" ->
// referral credit vests -> the publisher's own tracker hears about both events.
let t: TestApp;
let receiver: ReturnType<typeof Bun.serve>;
const heard: URL[] = [];

beforeAll(async () => {
  t = await makeTestApp();
  receiver = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch(req) { heard.push(new URL(req.url)); return new Response("ok"); } });
});
afterAll(async () => { receiver.stop(true); await t.close(); });

test("scenario: click -> refersion webhook -> approved re-delivery -> ledger vests -> publisher postback with macros", async () => {
  const n = await network(t, { commission_type: "percentage", commission_value: "10" });
  const secret = "refersion-scenario-secret";
  const integ = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", secret, mode: "live" });
  const referrer = await api(t, "POST", "/api/admin/referrers", { name: "Pal", code: "PAL5", reward_pct: "50" });
  await api(t, "POST", `/api/admin/publishers/${n.pubA.id}/postbacks`, {
    url: `http://127.0.0.1:${receiver.port}/pb?cid={click_id}&s1={sub1}&o={order_ref}&p={payout}&c={currency}&st={status}&prog={program_id}&ev={event}`,
  });

  const { clickId } = await click(t, `${n.pathA}?sub1=kw-tents&ref=PAL5`);
  const send = (status: string) => {
    const body = JSON.stringify({ order_id: "SHOP-9001", status, total: "80.00", commission_total: "8.00", currency: "USD", is_test_conversion: false, click: { sub_id: clickId } });
    return t.request(new URL(integ.webhook_url).pathname + new URL(integ.webhook_url).search, { method: "POST", body, headers: { "content-type": "application/json", "refersion-signature": hmacBase64(secret, body) } });
  };

  const created = await (await send("PENDING")).json();
  expect(created.status).toBe("created");
  const conv = await api(t, "GET", `/api/admin/conversions/${created.id}`);
  expect(conv).toMatchObject({ publisher_id: n.pubA.id, commission: "8.00", publisher_payout: "6.40", status: "pending" });
  let ledger = await api(t, "GET", `/api/admin/referrers/${referrer.id}/ledger`);
  expect(ledger.balances[0]).toMatchObject({ earned: "4.00", pending: "4.00", vested: "0.00" });

  const updated = await (await send("APPROVED")).json();
  expect(updated).toMatchObject({ status: "updated", conversion_status: "approved" });
  ledger = await api(t, "GET", `/api/admin/referrers/${referrer.id}/ledger`);
  expect(ledger.balances[0]).toMatchObject({ earned: "4.00", pending: "0.00", vested: "4.00" });

  await deliverDue(t.ctx);
  const got = heard.map((u) => Object.fromEntries(u.searchParams));
  const common = { cid: clickId, s1: "kw-tents", o: "SHOP-9001", p: "6.40", c: "USD", prog: n.program.id };
  expect(got).toContainEqual({ ...common, st: "pending", ev: "conversion.created" });
  expect(got).toContainEqual({ ...common, st: "approved", ev: "conversion.approved" });
  expect(got.length).toBe(2);

  const trail = await api(t, "GET", `/api/admin/audit?entity_id=${created.id}`);
  expect(trail.data.map((r: { action: string; actor_type: string }) => `${r.action}:${r.actor_type}`)).toEqual(["conversion.approved:integration", "conversion.created:integration"]);
});
