import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parse } from "csv-parse/sync";
import { runCli } from "../../src/cli";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, approve, click, makeBrand, makeProgram, postback } from "../helpers/factories";

// Payouts after a close: payout files (PayPal / Wise / generic, formula cells
// escaped, one currency per file), mark paid / failed one by one and from a
// results file, each once; the CLI runs the same close.
let t: TestApp;
const OCT_10 = Date.UTC(2026, 9, 10, 12);
const NOV_1 = Date.UTC(2026, 10, 1, 0, 5);
const pubs: Record<string, string> = {};
const conv: Record<string, string> = {};

async function earn(key: string, programId: string, slug: string, ref: string) {
  const { clickId } = await click(t, `/go/${slug}`);
  const { conversion } = await (await postback(t, key, { program_id: programId, brand_order_ref: ref, order_value: "100.00", order_currency: programId === pubs.eurProgram ? "EUR" : "USD", lc_click: clickId })).json();
  await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`);
  return conversion.id as string;
}

beforeAll(async () => {
  t = await makeTestApp({}, { now: OCT_10 });
  const brand = await makeBrand(t, "Acme");
  const usd = await makeProgram(t, brand.id, { name: "Tents", commission_type: "flat_cpa", commission_value: "100.00", network_fee_pct: "20" });
  const eur = await makeProgram(t, brand.id, { name: "Zelte", commission_type: "flat_cpa", commission_value: "100.00", network_fee_pct: "20", currency: "EUR" });
  pubs.eurProgram = eur.id;
  const mk = (name: string, email: string, payout_method: string, payout_details: unknown) => api(t, "POST", "/api/admin/publishers", { name, email, payout_method, payout_details });
  const pp = await mk("=HYPERLINK(\"http://evil\")", "pp@pub.example", "PayPal", { email: "pp@pub.example" });
  const wise = await mk("Wise Pub", "wise@pub.example", "Wise", { email: "wise@pub.example", currency: "EUR" });
  const ach = await mk("@Ach Pub", "ach@pub.example", "ACH", { account_holder: "-Ach Holder", routing_number: "011000015", account_number: "123456789", account_type: "checking" });
  Object.assign(pubs, { pp: pp.id, wise: wise.id, ach: ach.id });
  for (const [p, prog, n] of [[pp, usd, 2], [pp, eur, 1], [wise, usd, 1], [ach, usd, 1]] as const) {
    const link = await approve(t, prog.id, p.id);
    for (let i = 0; i < n; i++) conv[`${p.id}-${prog.id}-${i}`] = await earn(brand.liveKey, prog.id, link.slug, `R-${p.id}-${prog.id}-${i}`);
  }
  t.clock.set(NOV_1);
});
afterAll(() => t.close());

describe("the CLI close", () => {
  test("lastclick settle --period prints the summary; a rerun prints the same and settles nothing twice", async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => { lines.push(a.join(" ")); };
    const env = { DATABASE_URL: `file:${t.dir}/test.db`, IP_HASH_SECRET: "test-secret-0123456789", SCHEDULER: "off" };
    let codes: number[];
    try {
      codes = [await runCli(["settle", "--period", "2026-10"], env), await runCli(["settle", "--period", "2026-10", "--json"], env), await runCli(["settle", "--period", "2099-01"], env)];
    } finally {
      console.log = log;
    }
    expect(codes).toEqual([0, 0, 1]);
    expect(lines[0]).toContain("Period 2026-10 (UTC");
    expect(lines[0]).toContain("closed now");
    expect(lines.join("\n")).toContain("USD: 4 conversion(s), invoiced 400.00 USD in 1 invoice(s)");
    expect(lines.join("\n")).toContain("EUR: 1 conversion(s), invoiced 100.00 EUR");
    const json = JSON.parse(lines.at(-1)!);
    expect(json).toMatchObject({ created: false, period: "2026-10", conversions_settled: 5 });
    const api1 = await t.request("/api/admin/settlements", { method: "POST", token: t.adminToken, json: { period: "2026-10" } });
    expect(api1.status).toBe(200);
    expect((await api1.json()).audit_hash).toBe(json.audit_hash);
  });
});

describe("payout files", () => {
  const get = (q: string) => t.request(`/api/admin/payouts/export?${q}`, { token: t.adminToken });

  test("PayPal: no header, recipient/amount/currency/reference/note/wallet, one currency per file", async () => {
    const mixed = await get("period=2026-10&method=paypal");
    expect(mixed.status).toBe(422); // PayPal publisher earned in USD and EUR
    expect((await mixed.json()).error.fields.currency[0]).toContain("EUR, USD");
    const res = await get("period=2026-10&method=paypal&currency=USD");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("payouts-2026-10-paypal-USD.csv");
    const rows = parse(await res.text());
    const payout = (await api(t, "GET", `/api/admin/payouts?period=2026-10&publisher_id=${pubs.pp}`)).data.find((p: { currency: string }) => p.currency === "USD");
    expect(rows).toEqual([["pp@pub.example", "160.00", "USD", payout.id, "Lastclick payout 2026-10", "PayPal"]]);
  });

  test("Wise batch header; generic CSV with ACH details and formula cells escaped", async () => {
    const wise = parse(await (await get("period=2026-10&method=wise")).text());
    expect(wise[0]).toEqual(["name", "recipientEmail", "paymentReference", "receiverType", "amountCurrency", "amount", "sourceCurrency", "targetCurrency"]);
    expect(wise[1]).toEqual(["Wise Pub", "wise@pub.example", expect.any(String), "PRIVATE", "USD", "80.00", "USD", "EUR"]);
    const generic = parse(await (await get("period=2026-10&method=generic")).text(), { columns: true });
    expect(generic).toEqual([expect.objectContaining({ publisher: "'@Ach Pub", method: "ACH", amount: "80.00", account_holder: "'-Ach Holder", routing_number: "011000015", account_number: "123456789" })]);
    const paypalEur = await (await get("period=2026-10&method=paypal&currency=EUR")).text();
    expect(paypalEur).toContain("80.00,EUR"); // 100 EUR commission - 20% fee
    expect((await get("period=2026-10&method=venmo")).status).toBe(422);
    expect((await get("method=paypal")).status).toBe(422);
  });
});

describe("marking payouts", () => {
  test("mark paid once with a reference: its conversions become paid; repeats and other states are refused", async () => {
    const [p] = (await api(t, "GET", `/api/admin/payouts?period=2026-10&publisher_id=${pubs.wise}`)).data;
    const res = await api(t, "POST", `/api/admin/payouts/${p.id}/mark-paid`, { reference: "WISE-123" });
    expect(res).toMatchObject({ changed: true, payout: { status: "paid", reference: "WISE-123" } });
    const again = await api(t, "POST", `/api/admin/payouts/${p.id}/mark-paid`, { reference: "WISE-123" });
    expect(again.changed).toBe(false);
    expect((await t.request(`/api/admin/payouts/${p.id}/mark-paid`, { method: "POST", token: t.adminToken, json: { reference: "OTHER" } })).status).toBe(409);
    expect((await t.request(`/api/admin/payouts/${p.id}/mark-failed`, { method: "POST", token: t.adminToken, json: { reason: "bounced" } })).status).toBe(409);
    expect((await t.request(`/api/admin/payouts/${p.id}/mark-paid`, { method: "POST", token: t.adminToken, json: {} })).status).toBe(422);
    expect((await t.request(`/api/admin/payouts/nope/mark-paid`, { method: "POST", token: t.adminToken, json: { reference: "x" } })).status).toBe(404);
    const wiseConv = Object.entries(conv).find(([k]) => k.startsWith(pubs.wise!))![1];
    expect((await api(t, "GET", `/api/admin/conversions/${wiseConv}`)).status).toBe("paid");
    const trail = await api(t, "GET", `/api/admin/audit?entity_id=${p.id}`);
    expect(trail.data.map((r: { action: string }) => r.action)).toEqual(["payout.paid"]);
  });

  test("results file (CSV): paid and failed rows applied once; a failed amount returns to the balance", async () => {
    const all = (await api(t, "GET", "/api/admin/payouts?period=2026-10&status=scheduled")).data;
    const pp = all.filter((p: { publisher_id: string }) => p.publisher_id === pubs.pp);
    const ach = all.find((p: { publisher_id: string }) => p.publisher_id === pubs.ach);
    const csv = `payout_id,status,reference,reason\n${pp.map((p: { id: string }) => `${p.id},paid,PP-${p.id.slice(0, 6)},`).join("\n")}\n${ach.id},failed,,account closed\nnot-a-payout,paid,X,\n`;
    const send = () => t.request("/api/admin/payouts/results", { method: "POST", token: t.adminToken, body: csv, headers: { "content-type": "text/csv" } });
    const first = await (await send()).json();
    expect(first).toMatchObject({ paid: 2, failed: 1, unchanged: 0, errors: 1 });
    const second = await (await send()).json();
    expect(second).toMatchObject({ paid: 0, failed: 0, unchanged: 3, errors: 1 });
    expect((await t.request("/api/admin/payouts/results", { method: "POST", token: t.adminToken, body: "a,b\n\"unclosed", headers: { "content-type": "text/csv" } })).status).toBe(400);
    expect((await t.request("/api/admin/payouts/results", { method: "POST", token: t.adminToken, json: { results: [] } })).status).toBe(422);

    // The next close carries the failed ACH amount in.
    t.clock.set(Date.UTC(2026, 11, 1, 0, 5));
    await api(t, "POST", "/api/admin/settlements", { period: "2026-11" });
    const [nov] = (await api(t, "GET", `/api/admin/payouts?period=2026-11&publisher_id=${pubs.ach}`)).data;
    expect(nov).toMatchObject({ carried_in_minor: 8000, amount_minor: 8000, status: "scheduled" });
  });
});
