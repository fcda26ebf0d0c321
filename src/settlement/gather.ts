import { sql } from "drizzle-orm";
import type { AppContext } from "../context";
import { payoutDetailsByMethod, type PayoutMethod } from "../network/payout-methods";
import { thresholdMinor } from "./compute";
import type { InvoiceInput, PayoutInput } from "./compute";

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

/**
 * Reads what a close settles, as aggregates (GROUP BY in SQL): memory grows with
 * the number of parties and programs, never with the number of conversions.
 */
export async function gatherInputs(ctx: AppContext, settlementId: string, networkThreshold: string): Promise<{ payouts: PayoutInput[]; invoices: InvoiceInput[] }> {
  const all = (q: ReturnType<typeof sql>) => ctx.db.all<Row>(q);
  const [earned, billed, adjustments, carried, pubs] = await Promise.all([
    all(sql`SELECT c.publisher_id AS party, c.currency, c.program_id, p.name, count(*) AS conversions, sum(c.publisher_payout_minor) AS payout
      FROM conversions c JOIN programs p ON p.id = c.program_id
      WHERE c.settlement_id = ${settlementId} AND c.publisher_id IS NOT NULL GROUP BY c.publisher_id, c.currency, c.program_id`),
    all(sql`SELECT c.brand_id AS party, c.currency, c.program_id, p.name, count(*) AS conversions, sum(c.program_value_minor) AS gross,
      sum(c.publisher_payout_minor) AS payouts, sum(c.network_fee_minor) AS fee
      FROM conversions c JOIN programs p ON p.id = c.program_id
      WHERE c.settlement_id = ${settlementId} GROUP BY c.brand_id, c.currency, c.program_id`),
    all(sql`SELECT id, conversion_id, brand_id, program_id, publisher_id, currency, gross_minor, payout_minor, fee_minor, reason
      FROM settlement_adjustments WHERE settlement_id = ${settlementId} ORDER BY id`),
    all(sql`SELECT publisher_id AS party, currency, sum(amount_minor) AS amount FROM payouts WHERE carried_into = ${settlementId} GROUP BY publisher_id, currency`),
    all(sql`SELECT p.id, p.payout_method, p.payout_details, t.threshold FROM publishers p LEFT JOIN publisher_thresholds t ON t.publisher_id = p.id`),
  ]);
  const pubInfo = new Map(pubs.map((p) => [String(p.id), p]));

  const payoutsByKey = new Map<string, PayoutInput>();
  const payoutFor = (party: string, currency: string) => {
    const key = `${party}\u0000${currency}`;
    let x = payoutsByKey.get(key);
    if (!x) {
      const info = pubInfo.get(party);
      payoutsByKey.set(key, x = {
        publisherId: party, currency, programs: [], adjustments: [], carriedInMinor: 0,
        thresholdMinor: thresholdMinor(s(info?.threshold) ?? networkThreshold, currency),
        hasValidMethod: validMethod(s(info?.payout_method), s(info?.payout_details)),
      });
    }
    return x;
  };
  for (const r of earned) payoutFor(String(r.party), String(r.currency)).programs.push({ programId: String(r.program_id), name: String(r.name), conversions: n(r.conversions), payoutMinor: n(r.payout) });
  for (const r of carried) payoutFor(String(r.party), String(r.currency)).carriedInMinor += n(r.amount);

  const invoicesByKey = new Map<string, InvoiceInput>();
  const invoiceFor = (party: string, currency: string) => {
    const key = `${party}\u0000${currency}`;
    let x = invoicesByKey.get(key);
    if (!x) invoicesByKey.set(key, x = { brandId: party, currency, programs: [], adjustments: [] });
    return x;
  };
  for (const r of billed) invoiceFor(String(r.party), String(r.currency)).programs.push({
    programId: String(r.program_id), name: String(r.name), conversions: n(r.conversions), grossMinor: n(r.gross), payoutsMinor: n(r.payouts), feeMinor: n(r.fee),
  });
  for (const a of adjustments) {
    const description = String(a.reason);
    invoiceFor(String(a.brand_id), String(a.currency)).adjustments.push({
      conversionId: String(a.conversion_id), programId: String(a.program_id), description, grossMinor: n(a.gross_minor), payoutsMinor: n(a.payout_minor), feeMinor: n(a.fee_minor),
    });
    if (a.publisher_id) payoutFor(String(a.publisher_id), String(a.currency)).adjustments.push({ conversionId: String(a.conversion_id), programId: String(a.program_id), description, payoutMinor: n(a.payout_minor) });
  }
  const byKey = <T extends { currency: string }>(m: Map<string, T>, party: (x: T) => string) =>
    [...m.values()].sort((a, b) => party(a).localeCompare(party(b)) || a.currency.localeCompare(b.currency));
  return { payouts: byKey(payoutsByKey, (x) => x.publisherId), invoices: byKey(invoicesByKey, (x) => x.brandId) };
}

/** A publisher can be paid only with a payout method whose details still validate. */
export function validMethod(method: string | null, details: string | null): boolean {
  if (!method || !details || !(method in payoutDetailsByMethod)) return false;
  try {
    return payoutDetailsByMethod[method as PayoutMethod].safeParse(JSON.parse(details)).success;
  } catch {
    return false;
  }
}
