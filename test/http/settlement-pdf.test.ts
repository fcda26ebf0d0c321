import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, approve, click, makeBrand, makeProgram, postback } from "../helpers/factories";

// The PDFs are real: parsed back with poppler's pdftotext, they carry the
// number, totals, dates, non-Latin names (embedded font) and the audit hash.
let t: TestApp;
let brand: Awaited<ReturnType<typeof makeBrand>>;
let other: Awaited<ReturnType<typeof makeBrand>>;
let summary: { audit_hash: string };
const DEC_1 = Date.UTC(2026, 11, 1, 0, 5);

function pdfText(bytes: ArrayBuffer, name: string): string {
  const file = join(t.dir, name);
  writeFileSync(file, new Uint8Array(bytes));
  const r = Bun.spawnSync(["pdftotext", "-layout", file, "-"]);
  expect(r.exitCode).toBe(0);
  return r.stdout.toString();
}

beforeAll(async () => {
  t = await makeTestApp();
  await api(t, "PUT", "/api/admin/network-settings", {
    name: "Nordlicht Affiliates", legal_name: "Nordlicht Affiliates GmbH", address: "Hauptstraße 5\n10115 Berlin, Germany", tax_id: "DE123456789",
    email: "billing@nordlicht.example", payout_threshold: "50.00",
    wire: { bank_name: "First Example Bank", account_name: "Nordlicht Affiliates GmbH", account_number: "000123456789", swift: "FEXAUS33" },
    ach: { bank_name: "First Example Bank", account_name: "Nordlicht Affiliates GmbH", routing_number: "011000015", account_number: "123456789" },
  });
  brand = await makeBrand(t, "Łódź Outdoor");
  other = await makeBrand(t, "Other");
  await api(t, "PUT", `/api/admin/brands/${brand.id}/billing`, { legal_name: "Łódź Outdoor Sp. z o.o.", address: "ul. Piotrkowska 1\n90-001 Łódź, Poland", tax_id: "PL5250001009", email: "ap@lodz.example" });
  const program = await makeProgram(t, brand.id, { name: "Namioty Ωmega", commission_type: "percentage", commission_value: "10", network_fee_pct: "20" });
  const pub = await api(t, "POST", "/api/admin/publishers", { name: "Ремонт Блог", email: "remont@pub.example", payout_method: "PayPal", payout_details: { email: "remont@pub.example" } });
  const link = await approve(t, program.id, pub.id);
  for (const [i, value] of ["1234.56", "999.99", "310.00"].entries()) {
    const { clickId } = await click(t, `/go/${link.slug}`);
    const { conversion } = await (await postback(t, brand.liveKey, { program_id: program.id, brand_order_ref: `ZAM-${i}`, order_value: value, order_currency: "USD", lc_click: clickId })).json();
    await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`);
  }
  t.clock.set(DEC_1);
  summary = await api(t, "POST", "/api/admin/settlements", { period: "2026-11" });
});
afterAll(() => t.close());

test("invoice PDF: number, names in Polish/Russian/Greek, lines, totals, dates, payment details, audit hash", async () => {
  const [inv] = (await api(t, "GET", "/api/admin/invoices?period=2026-11")).data;
  const res = await t.request(`/api/admin/invoices/${inv.id}/pdf`, { token: t.adminToken });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  expect(res.headers.get("content-disposition")).toContain("LC-2026-11-0001.pdf");
  const bytes = await res.arrayBuffer();
  expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
  const text = pdfText(bytes, "invoice.pdf");
  // 10% of 2544.55 = 254.46 (254.455 rounds half up); fee 20% = 50.89; payouts 203.57.
  for (const s of ["INVOICE", "LC-2026-11-0001", "Nordlicht Affiliates GmbH", "Hauptstraße 5", "Łódź Outdoor Sp. z o.o.", "90-001 Łódź, Poland", "PL5250001009",
    "Namioty Ωmega", "2544.55", "203.57", "50.89", "254.46 USD", "Total due", "1 December 2026", "31 December 2026", "November 2026",
    "SWIFT FEXAUS33", "routing 011000015", summary.audit_hash]) {
    expect(text).toContain(s);
  }
  expect(inv.total_minor).toBe(25446);
  if (process.env.KEEP_PDF) writeFileSync(process.env.KEEP_PDF, new Uint8Array(bytes));
});

test("statement PDF of a payout: the publisher's Cyrillic name, program line, total", async () => {
  const [p] = (await api(t, "GET", "/api/admin/payouts?period=2026-11")).data;
  const res = await t.request(`/api/admin/payouts/${p.id}/statement.pdf`, { token: t.adminToken });
  expect(res.status).toBe(200);
  const text = pdfText(await res.arrayBuffer(), "statement.pdf");
  for (const s of ["STATEMENT", "Ремонт Блог", "Namioty Ωmega", "203.57", "15 December 2026", "PayPal", "SCHEDULED", "Payout threshold: 50.00 USD"]) expect(text).toContain(s);
});

test("a brand key reads its own invoices and PDFs, never another brand's; test keys see none", async () => {
  const own = await api(t, "GET", "/api/invoices", undefined, brand.liveKey);
  expect(own.data.map((i: { number: string }) => i.number)).toEqual(["LC-2026-11-0001"]);
  expect((await api(t, "GET", "/api/invoices", undefined, other.liveKey)).data).toEqual([]);
  expect((await api(t, "GET", "/api/invoices", undefined, brand.testKey)).data).toEqual([]);
  const id = own.data[0].id;
  expect((await t.request(`/api/invoices/${id}/pdf`, { token: brand.liveKey })).status).toBe(200);
  expect((await t.request(`/api/invoices/${id}/pdf`, { token: other.liveKey })).status).toBe(404);
  expect((await t.request(`/api/invoices/${id}/pdf`)).status).toBe(401);
  expect((await t.request(`/api/admin/invoices/${id}/pdf`, { token: brand.liveKey })).status).toBe(401);
});

test("void: never edited, replaced by the next number with the same lines; paid once", async () => {
  const [inv] = (await api(t, "GET", "/api/admin/invoices?period=2026-11")).data;
  await api(t, "PUT", `/api/admin/brands/${brand.id}/billing`, { legal_name: "Łódź Outdoor S.A.", address: "ul. Nowa 2\n90-002 Łódź" });
  expect((await t.request(`/api/admin/invoices/${inv.id}/void`, { method: "POST", token: t.adminToken, json: {} })).status).toBe(422);
  const v = await api(t, "POST", `/api/admin/invoices/${inv.id}/void`, { reason: "wrong legal name" });
  expect(v.voided).toMatchObject({ number: "LC-2026-11-0001", status: "void", void_reason: "wrong legal name", total_minor: 25446 });
  expect(v.replacement).toMatchObject({ number: "LC-2026-11-0002", status: "issued", replaces_id: inv.id, total_minor: 25446, bill_to: { name: "Łódź Outdoor S.A." } });
  expect((await t.request(`/api/admin/invoices/${inv.id}/void`, { method: "POST", token: t.adminToken, json: { reason: "again" } })).status).toBe(409);
  expect((await t.request(`/api/admin/invoices/${inv.id}/mark-paid`, { method: "POST", token: t.adminToken, json: {} })).status).toBe(409);
  const voidText = pdfText(await (await t.request(`/api/admin/invoices/${inv.id}/pdf`, { token: t.adminToken })).arrayBuffer(), "void.pdf");
  expect(voidText).toContain("VOID");
  expect(voidText).toContain("Łódź Outdoor Sp. z o.o."); // the voided one keeps what it said
  const paid = await api(t, "POST", `/api/admin/invoices/${v.replacement.id}/mark-paid`, { reference: "WIRE-77" });
  expect(paid).toMatchObject({ changed: true, invoice: { status: "paid", payment_reference: "WIRE-77" } });
  expect((await api(t, "POST", `/api/admin/invoices/${v.replacement.id}/mark-paid`, {})).changed).toBe(false);
  expect((await t.request(`/api/admin/invoices/${v.replacement.id}/void`, { method: "POST", token: t.adminToken, json: { reason: "too late" } })).status).toBe(409);
});
