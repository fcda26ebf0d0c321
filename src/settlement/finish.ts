import type { InStatement } from "@libsql/client";
import { eq, sql } from "drizzle-orm";
import type { AppContext } from "../context";
import { auditLog, brandBilling, brands, invoiceLines, invoices, payoutLines, payouts, publishers, settlements } from "../db/schema";
import { auditValues } from "../audit/audit";
import { queueMails, type MailToQueue } from "../mail/outbox";
import { formatMinor } from "../shared/money";
import { SYSTEM } from "../auth/authenticate";
import { DAY_MS } from "../shared/clock";
import { uuidv7 } from "../shared/ids";
import { dayAfterPeriod, parsePeriod } from "../shared/period";
import { auditHash } from "./audit-hash";
import { computeInvoice, computePayout, type ComputedInvoice, type ComputedPayout } from "./compute";
import { gatherInputs } from "./gather";
import { getNetworkSettings } from "./network-settings";
import { insertRows } from "./sql";
import { buildSummary, type SettlementSummary } from "./summary";

type SettlementRow = typeof settlements.$inferSelect;
export const NET_DAYS = 30;

/** The SQL that gives an invoice the next gapless number of its period, inside the writing transaction. */
export function insertInvoiceSql(row: Omit<typeof invoices.$inferInsert, "seq" | "number">): InStatement {
  return {
    sql: `INSERT INTO invoices (id, settlement_id, period, seq, number, brand_id, currency, status, conversions, gross_minor, payouts_minor, fee_minor,
            adjustments_minor, total_minor, bill_to, issued_at, due_at, replaces_id, created_at)
          SELECT ?, ?, ?, n.seq, 'LC-' || ? || '-' || printf('%04d', n.seq), ?, ?, 'issued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
          FROM (SELECT coalesce(max(seq), 0) + 1 AS seq FROM invoices WHERE period = ?) n`,
    args: [row.id, row.settlementId, row.period, row.period, row.brandId, row.currency, row.conversions, row.grossMinor, row.payoutsMinor, row.feeMinor,
      row.adjustmentsMinor, row.totalMinor, row.billTo, row.issuedAt, row.dueAt, row.replacesId ?? null, row.createdAt, row.period],
  };
}

export function invoiceLineRows(invoiceId: string, inv: ComputedInvoice, at: number): (typeof invoiceLines.$inferInsert)[] {
  return inv.lines.map((l, position) => ({
    id: uuidv7(at), invoiceId, position, kind: l.kind, programId: l.programId, description: l.description, conversions: l.conversions,
    grossMinor: l.grossMinor, payoutsMinor: l.payoutsMinor, feeMinor: l.feeMinor, amountMinor: l.amountMinor,
  }));
}

/**
 * Step 2 of the close: from the claimed rows alone (so any run finishes the
 * same way), compute payouts and invoices, hash them, and write them with the
 * summary in one transaction. The unique keys (one payout per publisher and
 * currency per close, one live invoice per brand and currency per close) make
 * a concurrent second finisher fail as a whole; it then reads the result.
 */
export async function finishClose(ctx: AppContext, s: SettlementRow): Promise<SettlementSummary> {
  const network = await getNetworkSettings(ctx);
  const inputs = await gatherInputs(ctx, s.id, network.payout_threshold);
  const computedPayouts = inputs.payouts.map(computePayout);
  const computedInvoices = inputs.invoices.map(computeInvoice);
  const hash = await auditHash(ctx, { id: s.id, period: s.period, start: s.periodStart, end: s.periodEnd }, computedPayouts, computedInvoices);
  const at = s.closedAt;
  const period = parsePeriod(s.period, s.timezone)!;
  const payoutDue = Math.max(dayAfterPeriod(period, 15, s.timezone), at);
  const methods = new Map((await ctx.db.select({ id: publishers.id, m: publishers.payoutMethod, d: publishers.payoutDetails, email: publishers.email }).from(publishers)).map((p) => [p.id, p]));
  const bills = new Map((await ctx.db.select({ id: brands.id, name: brands.name, b: brandBilling }).from(brands).leftJoin(brandBilling, eq(brandBilling.brandId, brands.id))).map((r) => [r.id, r]));

  const mails: MailToQueue[] = [];
  const payoutRows: (typeof payouts.$inferInsert)[] = [];
  const lineRows: (typeof payoutLines.$inferInsert)[] = [];
  for (const p of computedPayouts) {
    const id = uuidv7(at);
    const m = methods.get(p.publisherId);
    payoutRows.push(payoutRow(id, s, p, payoutDue, m?.m ?? null, m?.d ?? null));
    mails.push({ kind: "statement", refId: id, to: m?.email, subject: `${network.name}: your payout statement for ${s.period}`,
      body: `Your statement for ${s.period} is attached: ${formatMinor(p.amountMinor, p.currency)} ${p.currency}, ${p.status.replace("_", " ")}.` });
    for (const l of p.lines) lineRows.push({ id: uuidv7(at), payoutId: id, kind: l.kind, programId: l.programId, description: l.description, conversions: l.conversions, amountMinor: l.amountMinor });
  }
  const invoiceStmts: InStatement[] = [];
  const invoiceLineRowsAll: (typeof invoiceLines.$inferInsert)[] = [];
  for (const inv of computedInvoices) {
    const id = uuidv7(at);
    const b = bills.get(inv.brandId);
    const billTo = JSON.stringify(b?.b ? { name: b.b.legalName, address: b.b.address, tax_id: b.b.taxId, email: b.b.email } : { name: b?.name ?? inv.brandId, address: "" });
    invoiceStmts.push(insertInvoiceSql({
      id, settlementId: s.id, period: s.period, brandId: inv.brandId, currency: inv.currency, status: "issued", conversions: inv.conversions,
      grossMinor: inv.grossMinor, payoutsMinor: inv.payoutsMinor, feeMinor: inv.feeMinor, adjustmentsMinor: inv.adjustmentsMinor, totalMinor: inv.totalMinor,
      billTo, issuedAt: at, dueAt: at + NET_DAYS * DAY_MS, createdAt: at,
    }));
    invoiceLineRowsAll.push(...invoiceLineRows(id, inv, at));
    mails.push({ kind: "invoice", refId: id, to: b?.b?.email, subject: `${network.name}: invoice for ${s.period}`,
      body: `Your invoice for ${s.period} is attached: ${formatMinor(inv.totalMinor, inv.currency)} ${inv.currency}, due ${new Date(at + NET_DAYS * DAY_MS).toISOString().slice(0, 10)}.` });
  }
  const summary = buildSummary(s, hash, computedPayouts, computedInvoices, await countClaimed(ctx, s.id));
  const audit = auditValues({ actor: SYSTEM, at, action: "settlement.closed", entityType: "settlement", entityId: s.id, fromStatus: "closing", toStatus: "closed", data: { period: s.period, audit_hash: hash } });
  try {
    await ctx.client.batch([
      ...insertRows(payouts, payoutRows),
      ...invoiceStmts,
      ...insertRows(payoutLines, lineRows),
      ...insertRows(invoiceLines, invoiceLineRowsAll),
      { sql: `UPDATE settlements SET status = 'closed', audit_hash = ?, summary = ? WHERE id = ? AND status = 'closing'`, args: [hash, JSON.stringify(summary), s.id] },
      ...insertRows(auditLog, [audit]),
      ...queueMails(ctx, mails, at),
    ], "write");
  } catch (e) {
    // Another run finished this close first (unique keys): answer with what it wrote.
    const [now] = await ctx.db.select().from(settlements).where(eq(settlements.id, s.id));
    if (now?.status === "closed" && now.summary) return JSON.parse(now.summary);
    throw e;
  }
  const [done] = await ctx.db.select().from(settlements).where(eq(settlements.id, s.id));
  return JSON.parse(done!.summary!);
}

function payoutRow(id: string, s: SettlementRow, p: ComputedPayout, dueAt: number, method: string | null, details: string | null): typeof payouts.$inferInsert {
  return {
    id, settlementId: s.id, period: s.period, publisherId: p.publisherId, currency: p.currency, conversions: p.conversions,
    earnedMinor: p.earnedMinor, adjustmentsMinor: p.adjustmentsMinor, carriedInMinor: p.carriedInMinor, amountMinor: p.amountMinor,
    thresholdMinor: p.thresholdMinor, status: p.status, method, methodDetails: details, dueAt, createdAt: s.closedAt, updatedAt: s.closedAt,
  };
}

async function countClaimed(ctx: AppContext, id: string): Promise<{ conversions: number; adjustments: number }> {
  const [c] = await ctx.db.all<{ n: number }>(sqlCount("conversions", id));
  const [a] = await ctx.db.all<{ n: number }>(sqlCount("settlement_adjustments", id));
  return { conversions: Number(c?.n ?? 0), adjustments: Number(a?.n ?? 0) };
}

const sqlCount = (table: "conversions" | "settlement_adjustments", id: string) =>
  table === "conversions" ? sql`SELECT count(*) AS n FROM conversions WHERE settlement_id = ${id}` : sql`SELECT count(*) AS n FROM settlement_adjustments WHERE settlement_id = ${id}`;
