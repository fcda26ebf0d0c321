import { afterAll, beforeAll, expect, test } from "bun:test";
import { parse } from "csv-parse/sync";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, makeBrand, makeProgram, postback } from "../helpers/factories";

// Reconciliation: a platform's report for an integration and a month against our
// conversions, row by row, with totals; bad files get clear errors.
let t: TestApp;
let integrationId = "";

function upload(fields: Record<string, string>, file: string | Uint8Array | null, query = "") {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file !== null) form.set("file", new Blob([file as BlobPart], { type: "text/csv" }), "report.csv");
  return t.request(`/api/admin/reconciliations${query}`, { method: "POST", token: t.adminToken, body: form });
}

beforeAll(async () => {
  t = await makeTestApp();
  const brand = await makeBrand(t);
  const program = await makeProgram(t, brand.id);
  const integ = await api(t, "POST", "/api/admin/integrations", { program_id: program.id, provider: "generic", mode: "live", secret: "generic-secret-0123456789", vendor_id: "vendor-1" });
  integrationId = integ.id;
  const conv = async (ref: string, value: string, approve: boolean) => {
    const { conversion } = await (await postback(t, brand.liveKey, { program_id: program.id, brand_order_ref: ref, order_value: value, order_currency: "USD" })).json();
    if (approve) await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`);
  };
  await conv("R1", "100.00", true);
  await conv("R2", "50.00", false);
  await conv("R3", "70.00", true);
  await conv("R4", "20.00", true);
  await conv("R5", "30.00", true);
});
afterAll(() => t.close());

const REPORT = [
  "order_id,amount,commission,currency,status",
  "R1,100.00,10.00,USD,approved",
  "R2,50.00,5.00,usd,approved",
  "R3,75.00,7.50,USD,approved",
  "R1,100.00,10.00,USD,approved",
  "R9,30.00,3.00,USD,approved",
  "\"=cmd|' /C calc'!A0\",10,1,USD,approved",
  "R5,30.00,3.00,EUR,approved",
].join("\n");

test("row-level diff with totals: matched, status and amount differ, duplicates, missing on either side, other currency", async () => {
  const res = await upload({ integration_id: integrationId, period: "2026-11" }, REPORT);
  expect(res.status).toBe(200);
  const r = await res.json();
  expect(r.totals).toEqual({ matched: 1, status_differs: 1, amount_differs: 1, duplicate_in_file: 1, missing_here: 2, missing_there: 1, currency_differs: 1, unreadable: 0 });
  const by = Object.fromEntries(r.rows.map((x: { order_id: string; verdict: string }) => [`${x.order_id}:${x.verdict}`, x]));
  expect(by["R3:amount_differs"].note).toBe("theirs 75.00, ours 70.00 USD");
  expect(by["R2:status_differs"].note).toBe("theirs approved, ours pending");
  expect(by["R4:missing_there"].ours).toMatchObject({ amount: "20.00", status: "approved" });
  expect(by["R9:missing_here"].line).toBe(6);
});

test("the CSV download escapes formula cells", async () => {
  const res = await upload({ integration_id: integrationId, period: "2026-11" }, REPORT, "?format=csv");
  expect(res.headers.get("content-type")).toContain("text/csv");
  const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
  expect(rows.find((x) => x.order_id!.includes("cmd"))!.order_id).toBe("'=cmd|' /C calc'!A0");
  expect(rows.length).toBe(8);
});

test("bad files: binary, unknown headers (then mapped once and remembered), missing fields, unknown integration", async () => {
  const binary = await upload({ integration_id: integrationId, period: "2026-11" }, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01]));
  expect(binary.status).toBe(422);
  const odd = "Order #,Gross,State\nR1,100.00,Approved\n";
  const unknown = await upload({ integration_id: integrationId, period: "2026-11" }, odd);
  expect(unknown.status).toBe(422);
  expect((await unknown.json()).error.fields.file[0]).toContain("the headers are: Order #, Gross, State");
  const mapped = await upload({ integration_id: integrationId, period: "2026-11", mapping: JSON.stringify({ order_id: "Order #", amount: "Gross", status: "State" }) }, odd);
  expect((await mapped.json()).totals.matched).toBe(1);
  const remembered = await upload({ integration_id: integrationId, period: "2026-11" }, odd);
  expect((await remembered.json()).totals).toMatchObject({ matched: 1, missing_there: 4 });
  expect((await upload({ integration_id: integrationId, period: "2026-11", mapping: "{\"nope\":\"x\"}" }, odd)).status).toBe(422);
  expect((await upload({ integration_id: integrationId, period: "2026-13" }, REPORT)).status).toBe(422);
  expect((await upload({ integration_id: integrationId, period: "2026-11" }, null)).status).toBe(422);
  expect((await upload({ integration_id: "nope", period: "2026-11" }, REPORT)).status).toBe(404);
  expect((await t.request("/api/admin/reconciliations", { method: "POST", token: t.adminToken, json: { integration_id: integrationId } })).status).toBe(400);
  const tooMany = "order_id,amount,status\n" + Array.from({ length: 50_001 }, (_, i) => `X${i},1.00,approved`).join("\n");
  expect((await upload({ integration_id: integrationId, period: "2026-11" }, tooMany)).status).toBe(422);
});

test("missing-here rows import once through the recording path, then match", async () => {
  const body = { integration_id: integrationId, rows: [{ order_id: "R9", amount: "30.00", currency: "USD", commission: "3.00" }] };
  const first = await api(t, "POST", "/api/admin/reconciliations/import", body);
  expect(first).toMatchObject({ created: 1, duplicate: 0, rejected: 0 });
  const conv = await api(t, "GET", `/api/admin/conversions/${first.results[0].conversion_id}`);
  expect(conv).toMatchObject({ brand_order_ref: "R9", source: "generic", attributed: false, status: "pending", order_value: "30.00" });
  expect(await api(t, "POST", "/api/admin/reconciliations/import", body)).toMatchObject({ created: 0, duplicate: 1 });
  const bad = await api(t, "POST", "/api/admin/reconciliations/import", { integration_id: integrationId, rows: [{ order_id: "R10", amount: "abc", currency: "USD" }] });
  expect(bad).toMatchObject({ created: 0, rejected: 1 });
  expect((await t.request("/api/admin/reconciliations/import", { method: "POST", token: t.adminToken, json: { integration_id: integrationId, rows: [] } })).status).toBe(422);
  const report = "order_id,amount,status\nR9,30.00,pending\n";
  const r = await (await upload({ integration_id: integrationId, period: "2026-11", mapping: JSON.stringify({ order_id: "order_id", amount: "amount", status: "status" }) }, report)).json();
  expect(r.rows.find((x: { order_id: string }) => x.order_id === "R9").verdict).toBe("matched");
});
