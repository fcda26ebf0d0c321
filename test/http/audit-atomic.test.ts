import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, approve, makeBrand, makeProgram, makePublisher } from "../helpers/factories";

// A configuration change and its audit row commit in one transaction
// (audit/audit.ts auditWhenChanged): a repeat that changes nothing writes no
// audit row, and a failing audit insert leaves the change unmade.
let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(() => t.close());

const auditCount = async (action: string) =>
  Number((await t.ctx.client.execute({ sql: "SELECT count(*) AS n FROM audit_log WHERE action = ?", args: [action] })).rows[0]!.n);

test("repeats that change nothing write no second audit row", async () => {
  const brand = await makeBrand(t);
  const program = await makeProgram(t, brand.id);
  const pub = await makePublisher(t);
  const first = await approve(t, program.id, pub.id);
  const again = await approve(t, program.id, pub.id); // answered 200 with the same link
  expect(again.id).toBe(first.id);
  expect(await auditCount("approval.created")).toBe(1);

  await api(t, "POST", "/api/admin/vendor-links", { approval_id: first.id, key: "audit-vendor" });
  const dup = await t.request("/api/admin/vendor-links", { method: "POST", token: t.adminToken, json: { approval_id: first.id, key: "audit-vendor" } });
  expect(dup.status).toBe(409);
  expect(await auditCount("vendor_link.created")).toBe(1);

  await api(t, "POST", "/api/admin/referrers", { name: "Ref", code: "AUDIT1" });
  expect((await t.request("/api/admin/referrers", { method: "POST", token: t.adminToken, json: { name: "Ref2", code: "AUDIT1" } })).status).toBe(409);
  expect(await auditCount("referrer.created")).toBe(1);

  const keys = await api(t, "GET", `/api/admin/brands/${brand.id}/api-keys`);
  const keyId = keys.data[0].id;
  for (let i = 0; i < 2; i++) expect((await t.request(`/api/admin/brands/${brand.id}/api-keys/${keyId}`, { method: "DELETE", token: t.adminToken })).status).toBe(200);
  expect(await auditCount("api_key.revoked")).toBe(1);

  const token = await api(t, "POST", "/api/admin/tokens", { name: "to revoke" });
  for (let i = 0; i < 2; i++) expect((await t.request(`/api/admin/tokens/${token.id}`, { method: "DELETE", token: t.adminToken })).status).toBe(200);
  expect(await auditCount("admin_token.revoked")).toBe(1);
});

test("a change whose audit row cannot be written is not made", async () => {
  await t.ctx.client.execute("CREATE TRIGGER refuse_referrer_audit BEFORE INSERT ON audit_log WHEN NEW.action = 'referrer.created' BEGIN SELECT RAISE(ABORT, 'audit refused'); END");
  try {
    const res = await t.request("/api/admin/referrers", { method: "POST", token: t.adminToken, json: { name: "Unaudited", code: "NOAUDIT" } });
    expect(res.status).toBe(500);
    const rows = await t.ctx.client.execute({ sql: "SELECT count(*) AS n FROM referrers WHERE code = ?", args: ["NOAUDIT"] });
    expect(Number(rows.rows[0]!.n)).toBe(0);
  } finally {
    await t.ctx.client.execute("DROP TRIGGER refuse_referrer_audit");
  }
});
