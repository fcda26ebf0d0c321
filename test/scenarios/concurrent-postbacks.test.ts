import { afterAll, beforeAll, expect, test } from "bun:test";
import { conversions } from "../../src/db/schema";
import { makeTestApp, type TestApp } from "../helpers/app";
import { click, network, postback } from "../helpers/factories";
import { serve, type Running } from "../../src/main";
import { loadConfig } from "../../src/config";
import { join } from "node:path";
import { createAdminToken } from "../../src/network/admin-tokens";

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(() => t.close());

test("50 identical postbacks at once create exactly one row (in-process)", async () => {
  const n = await network(t);
  const { clickId } = await click(t, n.pathA);
  const order = { program_id: n.program.id, brand_order_ref: "RACE-1", order_value: "42.00", order_currency: "USD", lc_click: clickId };
  const results = await Promise.all(Array.from({ length: 50 }, () => postback(t, n.brand.liveKey, order)));
  const bodies = await Promise.all(results.map((r) => r.json()));
  expect(results.every((r) => r.status === 200)).toBe(true);
  expect(bodies.filter((b) => b.status === "created").length).toBe(1);
  expect(new Set(bodies.map((b) => b.conversion.id)).size).toBe(1);
  expect((await t.ctx.db.select().from(conversions)).length).toBe(1);
  const audits = await t.ctx.client.execute("select count(*) from audit_log where action = 'conversion.created'");
  expect(Number(audits.rows[0]![0])).toBe(1);
});

test("50 identical postbacks over real HTTP against two app instances on one database create one row", async () => {
  // Two processes' worth of app (separate clients/connections) sharing the file:
  // only the unique index can make this safe.
  const base = { DATABASE_URL: `file:${join(t.dir, "shared.db")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off" };
  const a: Running = await serve(loadConfig(base), { handleSignals: false });
  const b: Running = await serve(loadConfig(base), { handleSignals: false });
  try {
    const { token } = await createAdminToken(a.ctx.db, "race");
    const call = async (url: string, path: string, json: unknown, key = token) => (await fetch(url + path, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(json) })).json();
    const brand = await call(a.url, "/api/admin/brands", { name: "Race" });
    const { key } = await call(a.url, `/api/admin/brands/${brand.id}/api-keys`, { mode: "live" });
    const program = await call(a.url, "/api/admin/programs", { brand_id: brand.id, name: "P", dest_url: "https://x.example", commission_type: "flat_cpa", commission_value: "1", currency: "USD" });
    const order = { program_id: program.id, brand_order_ref: "RACE-HTTP", order_value: "1.00", order_currency: "USD" };
    const res = await Promise.all(Array.from({ length: 50 }, (_, i) => fetch((i % 2 ? a.url : b.url) + "/api/conv", {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(order),
    })));
    const statuses = await Promise.all(res.map(async (r) => [r.status, (await r.json()).status]));
    expect(statuses.every(([code]) => code === 200)).toBe(true);
    expect(statuses.filter(([, s]) => s === "created").length).toBe(1);
    const rows = await a.ctx.client.execute({ sql: "select count(*) from conversions where brand_order_ref = ?", args: ["RACE-HTTP"] });
    expect(Number(rows.rows[0]![0])).toBe(1);
  } finally {
    await a.stop();
    await b.stop();
  }
});
