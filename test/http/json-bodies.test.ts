import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_JSON_DEPTH } from "../../src/shared/json-depth";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, network } from "../helpers/factories";
import { hmacBase64 } from "../helpers/sign";

// Broken and deeply nested JSON from senders whose credentials are right:
// each gets an answer that says what is wrong (SPEC §5), on /api/conv, on the
// webhook and on a replay of the stored request.
let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
let refersionId: string;
const SHARED = "one-secret-for-two-vendors";
beforeAll(async () => {
  t = await makeTestApp();
  n = await network(t);
  refersionId = (await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", mode: "live", secret: "refersion-secret" })).id;
  // One platform operator, one secret, two vendors: vendor_id in the body says which integration.
  for (const vendor of ["vendor-a", "vendor-b"]) {
    await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "generic", mode: "live", secret: SHARED, vendor_id: vendor });
  }
});
afterAll(() => t.close());

const count = async () => Number((await t.ctx.client.execute("select count(*) from conversions")).rows[0]![0]);
const deepArrays = (levels: number) => "[".repeat(levels) + "]".repeat(levels);
/** A conversion body with one extra field nested `levels` deep in total. */
const withNested = (body: Record<string, unknown>, levels: number) =>
  JSON.stringify(body).replace(/}$/, `,"extra":${deepArrays(levels - 1)}}`);
const TOO_DEEP = `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;

describe("/api/conv", () => {
  const post = (body: string) => t.request("/api/conv", { method: "POST", body, headers: { "content-type": "application/json", authorization: `Bearer ${n.brand.liveKey}` } });
  const conv = (ref: string) => ({ program_id: n.program.id, brand_order_ref: ref, order_value: "10.00", order_currency: "USD" });

  test.each([[MAX_JSON_DEPTH + 1], [30_000]])("nested %p levels: 400 that says so, nothing stored", async (levels) => {
    const before = await count();
    const res = await post(levels > 1000 ? deepArrays(levels) : withNested(conv("D-1"), levels));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ code: "bad_request", message: `Request body is ${TOO_DEEP}` });
    expect(await count()).toBe(before);
  });
  test("at the limit the body is read as usual", async () => {
    const res = await post(withNested(conv("D-64"), MAX_JSON_DEPTH));
    expect([res.status, (await res.json()).status]).toEqual([200, "created"]);
  });
  test("broken JSON is still a syntax error", async () => {
    const res = await post('{"program_id":');
    expect([res.status, (await res.json()).error.message]).toEqual([400, "Request body is not valid UTF-8 JSON"]);
  });
});

describe("webhooks", () => {
  const refersion = (body: string) => t.request(`/api/affiliate/webhook?provider=refersion&i=${refersionId}`, {
    method: "POST", body, headers: { "content-type": "application/json", "refersion-signature": hmacBase64("refersion-secret", body) },
  });
  const generic = (body: string, secret = SHARED) => t.request("/api/affiliate/webhook?provider=generic", {
    method: "POST", body, headers: { "content-type": "application/json", "x-lastclick-secret": secret },
  });

  test("a signed body nested too deep: 422 with the reason; a replay of the stored request gives the same answer", async () => {
    const before = await count();
    const res = await refersion(withNested({ order_id: "R-DEEP", total: "59.00", currency: "USD" }, 20_000));
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.reasons).toEqual([`body is ${TOO_DEEP}`]);
    const replay = await api(t, "POST", `/api/admin/inbox/${body.inbox_id}/replay`, {});
    expect(replay.response).toMatchObject({ status: 422, body: { error: { reasons: [`body is ${TOO_DEEP}`] } } });
    expect(await count()).toBe(before);
  });

  test("generic: right secret, broken JSON, secret shared by two integrations: 422 with the reason (was 401)", async () => {
    const res = await generic('{"vendor_id":"vendor-a","order_id":');
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error).toMatchObject({ code: "validation_failed", reasons: ["body is not valid JSON"] });
    const row = await api(t, "GET", `/api/admin/inbox?provider=generic&limit=1`);
    expect(row.data[0]).toMatchObject({ id: body.inbox_id, verdict: "rejected", status_code: 422 });
    expect(row.data[0].reason).toContain("body is not valid JSON");
  });
  test("generic: right secret, nested too deep: 422 that says so", async () => {
    const res = await generic(withNested({ vendor_id: "vendor-a", order_id: "G-DEEP", order_total: "5", currency: "USD" }, MAX_JSON_DEPTH + 1));
    expect([res.status, (await res.json()).error.reasons]).toEqual([422, [`body is ${TOO_DEEP}`]]);
  });
  test("generic: a wrong secret with broken JSON is still 401 and reveals nothing", async () => {
    const res = await generic('{"vendor_id":', "not-the-secret");
    expect(res.status).toBe(401);
    expect((await res.json()).error).toEqual({ code: "unauthorized", message: "Missing or invalid credentials" });
  });
  test("generic: the same secret with a well-formed body is recorded for the vendor it names", async () => {
    const res = await generic(JSON.stringify({ vendor_id: "vendor-b", order_id: "G-OK", order_total: "5", currency: "USD" }));
    expect([res.status, (await res.json()).status]).toEqual([200, "created"]);
  });
});
