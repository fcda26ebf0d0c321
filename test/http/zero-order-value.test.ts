import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ZERO_ON_FLAT_CPA } from "../../src/conversions/record-conversion";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, click, makeProgram, network } from "../helpers/factories";
import { hmacBase64 } from "../helpers/sign";

// A flat CPA pays the same for any order, so an order value of 0 or -0 would
// be paid in full without anyone noticing: it is refused (422 on order_value)
// on /api/conv and on every platform webhook (all go through recordConversion).
let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
let refersionId: string;
let everflowId: string;
beforeAll(async () => {
  t = await makeTestApp();
  n = await network(t, { commission_type: "flat_cpa", commission_value: "5.00" });
  refersionId = (await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", mode: "live", secret: "refersion-secret" })).id;
  everflowId = (await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "everflow", mode: "live", ip_allowlist: ["198.51.100.0/24"] })).id;
});
afterAll(() => t.close());

const count = async () => Number((await t.ctx.client.execute("select count(*) from conversions")).rows[0]![0]);
const conv = (ref: string, value: string) => `{"program_id":"${n.program.id}","brand_order_ref":"${ref}","order_value":${value},"order_currency":"USD"}`;
const postRaw = (body: string) => t.request("/api/conv", { method: "POST", body, headers: { "content-type": "application/json", authorization: `Bearer ${n.brand.liveKey}` } });

describe("/api/conv on a flat-CPA program", () => {
  test.each([
    ["number 0", "0"], ["number -0", "-0"], ["string \"0\"", '"0"'], ["string \"-0\"", '"-0"'],
    ["string \"0.00\"", '"0.00"'], ["string \"-0.00\"", '"-0.00"'], ["0e5", '"0e5"'], ["less than a cent (rounds to 0)", '"0.004"'],
  ])("order value %s: 422 on order_value, nothing stored", async (_n, value) => {
    const before = await count();
    const res = await postRaw(conv(`Z-${crypto.randomUUID()}`, value));
    expect(res.status).toBe(422);
    expect((await res.json()).error).toEqual({ code: "validation_failed", message: "Invalid request", fields: { order_value: [ZERO_ON_FLAT_CPA] } });
    expect(await count()).toBe(before);
  });
  test("one cent is an order: recorded, flat commission", async () => {
    const { clickId } = await click(t, n.pathA);
    const res = await postRaw(conv("Z-CENT", '"0.01"').replace(/}$/, `,"lc_click":"${clickId}"}`));
    expect(res.status).toBe(200);
    expect((await res.json()).conversion).toMatchObject({ order_value_minor: 1, commission_minor: 500 });
  });
  test("a repeat of an order on file with a value of 0 is the usual duplicate, not a refusal", async () => {
    expect((await postRaw(conv("Z-ON-FILE", '"20.00"'))).status).toBe(200);
    const again = await postRaw(conv("Z-ON-FILE", "0"));
    expect([again.status, (await again.json()).status]).toEqual([200, "duplicate"]);
  });
  test("a percentage program still records an order of 0 (its commission is 0)", async () => {
    const pct = await makeProgram(t, n.brand.id, { name: "Pct", commission_type: "percentage", commission_value: "10" });
    const res = await postRaw(conv("Z-PCT", "-0").replace(n.program.id, pct.id));
    expect(res.status).toBe(200);
    expect((await res.json()).conversion).toMatchObject({ order_value_minor: 0, commission_minor: 0 });
  });
});

describe("platform webhooks on a flat-CPA program", () => {
  const refersion = (fields: Record<string, unknown>, edit = (json: string) => json) => {
    const body = edit(JSON.stringify({ currency: "USD", status: "PENDING", ...fields }));
    return t.request(`/api/affiliate/webhook?provider=refersion&i=${refersionId}`, {
      method: "POST", body, headers: { "content-type": "application/json", "refersion-signature": hmacBase64("refersion-secret", body) },
    });
  };
  const everflow = (qs: string) => t.request(`/api/affiliate/webhook?provider=everflow&i=${everflowId}&currency=USD&${qs}`, { peer: "198.51.100.7" });

  test.each([["refersion total 0.00", () => refersion({ order_id: "RZ-1", total: "0.00" })], ["refersion total -0 (JSON number)", () => refersion({ order_id: "RZ-2", total: 0 }, (j) => j.replace('"total":0', '"total":-0'))],
    ["everflow sale_amount=-0", () => everflow("transaction_id=EZ-1&sale_amount=-0")]])("%s: 422 naming order_value, kept in the inbox as rejected", async (_n, send) => {
    const before = await count();
    const res = await send();
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.reasons).toEqual([`order_value: ${ZERO_ON_FLAT_CPA}`]);
    expect(await count()).toBe(before);
    const inbox = await api(t, "GET", "/api/admin/inbox?limit=1");
    expect(inbox.data[0]).toMatchObject({ id: body.inbox_id, verdict: "rejected", status_code: 422 });
  });

  test("a denial re-delivered with a total of 0 still reverses the order on file", async () => {
    const first = await (await refersion({ order_id: "RZ-DENY", total: "59.00" })).json();
    expect(first.status).toBe("created");
    const denied = await refersion({ order_id: "RZ-DENY", total: "0.00", status: "DENIED" });
    expect(denied.status).toBe(200);
    expect(await denied.json()).toMatchObject({ status: "updated", id: first.id, conversion_status: "reversed" });
  });
});
