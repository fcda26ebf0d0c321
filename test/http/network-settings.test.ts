import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { auditLog, settings } from "../../src/db/schema";
import { makeTestApp, type TestApp } from "../helpers/app";
import { csrfOf, form, FORM, login, makeUser } from "../helpers/console";
import { api, approve, click, makeBrand, makeProgram, postback } from "../helpers/factories";

// One network settings model: what the admin saves on /admin/settings is what
// the close (payout threshold) and the invoice PDF (legal and bank details)
// read, and what GET/PUT /api/admin/network-settings show and write.
let t: TestApp;
let cookie = "", csrf = "";
const DEC_1 = Date.UTC(2026, 11, 1, 0, 5);

const SETTINGS = {
  network_name: "Console Net", timezone: "UTC", default_fee_pct: "20", payout_threshold: "100.00", open_signup: "on",
  legal_name: "Console Legal Name Ltd", tax_id: "GB-99", legal_address: "2 Side St\nLeeds", email: "billing@console.example",
  wire_bank_name: "Wire Bank", wire_account_name: "Console Legal Name Ltd", wire_account_number: "GB00 1234", wire_swift: "WIREGB22", wire_bank_address: "",
  ach_bank_name: "", ach_account_name: "", ach_routing_number: "", ach_account_number: "",
};
const save = (body: Record<string, string>, token = true) =>
  t.request("/admin/settings", { method: "POST", headers: { ...FORM, cookie }, body: form(token ? { _csrf: csrf, ...body } : body) });
const stored = async () => (await t.ctx.db.select().from(settings)).filter((r) => r.key !== "network").length;

beforeAll(async () => {
  t = await makeTestApp();
  // A settings row written by the settlement API before the models were one.
  await t.ctx.db.insert(settings).values({ key: "network", value: JSON.stringify({ name: "Old Net", legal_name: "Old Net GmbH", address: "Altstraße 1", payout_threshold: "30.00", email: "old@net.example" }) });
  await makeUser(t, "admin@net.example", "admin");
  cookie = (await login(t, "admin@net.example")).cookie;
  csrf = await csrfOf(t, cookie, "/admin/settings");
}, 60_000);
afterAll(() => t.close());

test("the old settlement row is read where nothing newer is set: API and console show it", async () => {
  const got = await api(t, "GET", "/api/admin/network-settings");
  expect(got).toMatchObject({ name: "Old Net", legal_name: "Old Net GmbH", address: "Altstraße 1", payout_threshold: "30.00", email: "old@net.example" });
  const page = await (await t.request("/admin/settings", { headers: { cookie } })).text();
  expect(page).toContain('value="Old Net GmbH"');
  expect(page).toContain('value="30.00"');
});

test("console: an incomplete wire block or a bad ACH routing number is refused next to the field; nothing stored", async () => {
  const before = await stored();
  const bad = await save({ ...SETTINGS, wire_account_number: "", ach_bank_name: "B", ach_account_name: "A", ach_routing_number: "12", ach_account_number: "123456" });
  expect(bad.status).toBe(422);
  const html = await bad.text();
  expect(html).toMatch(/id="f-wire_account_number-err">is required/);
  expect(html).toMatch(/id="f-ach_routing_number-err">must be 9 digits/);
  expect((await save({ ...SETTINGS, email: "not-an-email" })).status).toBe(422);
  expect(await stored()).toBe(before);
  expect((await save(SETTINGS, false)).status).toBe(403);
  expect(await stored()).toBe(before);
  expect((await api(t, "GET", "/api/admin/network-settings")).legal_name).toBe("Old Net GmbH");
});

test("console settings are what the API shows; an API write is what the console shows; both audited", async () => {
  expect((await save(SETTINGS)).status).toBe(303);
  const got = await api(t, "GET", "/api/admin/network-settings");
  expect(got).toEqual({
    name: "Console Net", legal_name: "Console Legal Name Ltd", address: "2 Side St\nLeeds", tax_id: "GB-99", email: "billing@console.example", payout_threshold: "100.00",
    wire: { bank_name: "Wire Bank", account_name: "Console Legal Name Ltd", account_number: "GB00 1234", swift: "WIREGB22" },
  });
  const ach = { bank_name: "ACH Bank", account_name: "Console Legal Name Ltd", routing_number: "011000015", account_number: "123456789" };
  await api(t, "PUT", "/api/admin/network-settings", { ...got, ach });
  const page = await (await t.request("/admin/settings", { headers: { cookie } })).text();
  expect(page).toContain('value="011000015"');
  expect(page).toContain('value="WIREGB22"');
  const audits = await t.ctx.db.select().from(auditLog).where(and(eq(auditLog.action, "settings.updated"), eq(auditLog.entityId, "network")));
  expect(audits.map((a) => a.actorType)).toEqual(["admin", "admin"]);
  expect(JSON.parse(audits[0]!.data!).legalName).toEqual({ before: "Old Net GmbH", after: "Console Legal Name Ltd" });
  expect(JSON.parse(audits[1]!.data!)).toEqual({ ach: { before: null, after: ach } });
  // the API write leaves the console-only settings (open signup) as they were
  expect((await t.request("/signup")).status).toBe(200);
});

test("the threshold set in the console carries a publisher below it at the next close; the legal name prints on the invoice PDF", async () => {
  const brand = await makeBrand(t, "Acme");
  const program = await makeProgram(t, brand.id, { name: "Tents", commission_type: "flat_cpa", commission_value: "80.00", network_fee_pct: "20" });
  const pub = await api(t, "POST", "/api/admin/publishers", { name: "Small", email: "small@pub.example", payout_method: "PayPal", payout_details: { email: "small@pub.example" } });
  const link = await approve(t, program.id, pub.id);
  const { clickId } = await click(t, `/go/${link.slug}`);
  const { conversion } = await (await postback(t, brand.liveKey, { program_id: program.id, brand_order_ref: "O-1", order_value: "100.00", order_currency: "USD", lc_click: clickId })).json();
  await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`);
  t.clock.set(DEC_1);
  await api(t, "POST", "/api/admin/settlements", { period: "2026-11" });
  const [payout] = (await api(t, "GET", `/api/admin/payouts?period=2026-11&publisher_id=${pub.id}`)).data;
  expect(payout).toMatchObject({ status: "carried", amount_minor: 6400, threshold_minor: 10000 });
  const [inv] = (await api(t, "GET", "/api/admin/invoices?period=2026-11")).data;
  const res = await t.request(`/api/admin/invoices/${inv.id}/pdf`, { token: t.adminToken });
  expect(res.status).toBe(200);
  const file = join(t.dir, "invoice.pdf");
  writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
  const text = Bun.spawnSync(["pdftotext", "-layout", file, "-"]).stdout.toString();
  for (const s of ["Console Legal Name Ltd", "2 Side St", "GB-99", "billing@console.example", "SWIFT WIREGB22", "routing 011000015"]) expect(text).toContain(s);
  expect(text).not.toContain("Old Net");
});
