import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, network } from "../helpers/factories";

// Everflow partner postbacks carry no currency (SPEC §5): their amounts are in
// the integration's currency, by default the program's; never a 422 for it.
let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
let integ: { id: string; currency: string | null };
beforeAll(async () => {
  t = await makeTestApp();
  n = await network(t, { currency: "EUR", commission_type: "percentage", commission_value: "10" });
  integ = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "everflow", mode: "live", ip_allowlist: ["198.51.100.0/24"] });
});
afterAll(() => t.close());

let seq = 0;
const postback = (extra = "") =>
  t.request(`/api/affiliate/webhook?provider=everflow&i=${integ.id}&transaction_id=ef-${++seq}&sale_amount=59.00&payout=5.90${extra}`, { peer: "198.51.100.7" });
const conv = (id: string) => api(t, "GET", `/api/admin/conversions/${id}`);
const setCurrency = (currency: string | null) => api(t, "PATCH", `/api/admin/integrations/${integ.id}`, { currency });

describe("everflow amounts without a currency", () => {
  test("by default they are in the program's currency", async () => {
    expect(integ.currency).toBeNull();
    const res = await postback();
    expect(res.status).toBe(200);
    expect(await conv((await res.json()).id)).toMatchObject({ order_value: "59.00", order_currency: "EUR", value: "59.00", currency: "EUR", platform_commission: "5.90" });
  });

  test("an unreplaced {currency} macro is no currency", async () => {
    const res = await postback("&currency=%7Bcurrency%7D");
    expect(res.status).toBe(200);
    expect((await conv((await res.json()).id)).order_currency).toBe("EUR");
  });

  test("the integration's currency, once set, is used at once and converted into the program's with the rate table", async () => {
    expect((await setCurrency("usd")).currency).toBe("USD");
    const noRate = await postback();
    expect(noRate.status).toBe(422);
    expect((await noRate.json()).error.message).toContain("no exchange rate USD->EUR");
    await api(t, "PUT", "/api/admin/fx-rates", { base: "USD", quote: "EUR", rate: "0.9" });
    const res = await postback();
    expect(res.status).toBe(200);
    expect(await conv((await res.json()).id)).toMatchObject({ order_value: "59.00", order_currency: "USD", value: "53.10", currency: "EUR", fx_rate: "0.9" });
  });

  test("a currency the partner put in the URL wins over the default", async () => {
    const res = await postback("&currency=EUR");
    expect((await conv((await res.json()).id)).order_currency).toBe("EUR");
  });

  test("PATCH currency null goes back to the program's currency", async () => {
    expect((await setCurrency(null)).currency).toBeNull();
    const res = await postback();
    expect((await conv((await res.json()).id)).order_currency).toBe("EUR");
  });

  test("a replay reads the integration's currency as it is now: a postback refused for want of a rate goes through once fixed", async () => {
    await setCurrency("JPY");
    const refused = await postback();
    expect(refused.status).toBe(422);
    const { inbox_id } = await refused.json();
    await setCurrency(null);
    const replayed = await api(t, "POST", `/api/admin/inbox/${inbox_id}/replay`, {});
    expect(replayed.response).toMatchObject({ status: 200, body: { status: "created" } });
    expect((await conv(replayed.response.body.id)).order_currency).toBe("EUR");
  });
});

describe("the integration's currency field", () => {
  const send = (method: string, path: string, json: unknown) => t.request(path, { method, json, token: t.adminToken });
  test("shown on create, validated as ISO 4217", async () => {
    const created = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "everflow", ip_allowlist: ["192.0.2.1"], currency: "gbp" });
    expect(created.currency).toBe("GBP");
    const bad = await send("POST", "/api/admin/integrations", { program_id: n.program.id, provider: "everflow", ip_allowlist: ["192.0.2.1"], currency: "XYZ" });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.fields.currency).toEqual(['"XYZ" is not an ISO 4217 currency code']);
    expect((await send("PATCH", `/api/admin/integrations/${integ.id}`, { currency: "toString" })).status).toBe(422);
  });
  test("refused for platforms that send their own currency", async () => {
    const bad = await send("POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", secret: "refersion-secret", currency: "USD" });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.fields.currency).toEqual(["only everflow postbacks come without a currency; refersion sends its own"]);
    const refersion = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", secret: "refersion-secret" });
    expect(refersion.currency).toBeNull();
    expect((await send("PATCH", `/api/admin/integrations/${refersion.id}`, { currency: "USD" })).status).toBe(422);
  });
});
