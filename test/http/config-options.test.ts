import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { network, postback } from "../helpers/factories";

// A network migrating from another platform keeps its parameter name and cookie domain.
let t: TestApp;
beforeAll(async () => { t = await makeTestApp({ CLICK_PARAM: "irclickid", COOKIE_DOMAIN: ".shop.example", COUNTRY_HEADER: "cf-ipcountry" }); });
afterAll(() => t.close());

test("CLICK_PARAM and COOKIE_DOMAIN shape the redirect, cookie and postback field", async () => {
  const n = await network(t);
  const res = await t.request(n.pathA, { headers: { "user-agent": "Mozilla/5.0", "cf-ipcountry": "de" } });
  const loc = new URL(res.headers.get("location")!);
  const id = loc.searchParams.get("irclickid")!;
  expect(id).toBeTruthy();
  expect(loc.searchParams.get("lc_click")).toBeNull();
  expect(res.headers.get("set-cookie")).toBe(`irclickid=${id}; Domain=.shop.example; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax; Path=/`);
  await t.ctx.clicks.flush();
  const row = await t.ctx.client.execute({ sql: "select country from clicks where id = ?", args: [id] });
  expect(row.rows[0]![0]).toBe("DE");
  const pb = await postback(t, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: "X-1", order_value: 10, order_currency: "USD", irclickid: id });
  expect((await pb.json()).conversion.publisher_id).toBe(n.pubA.id);
});
