import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { brandBilling, brands, invoiceLines, invoices } from "../db/schema";
import { auditIfChanged } from "../audit/audit";
import { DAY_MS } from "../shared/clock";
import { Conflict, NotFound } from "../shared/errors";
import { uuidv7 } from "../shared/ids";
import { PERIOD_RE } from "../shared/period";
import { insertInvoiceSql, NET_DAYS } from "./finish";
import { insertRows } from "./sql";
import { serializeInvoice } from "./serialize";

export const listInvoicesQuery = z.strictObject({
  period: z.string().regex(PERIOD_RE, "must be a month like 2026-11").optional(),
  status: z.enum(["issued", "paid", "void"]).optional(),
  brand_id: z.string().max(64).optional(),
});

/** Invoices, newest number last; `brandId` scopes a brand caller to its own. */
export async function listInvoices(ctx: AppContext, q: z.infer<typeof listInvoicesQuery> & { currency?: string }, scope: { brandId?: string } = {}) {
  const brandId = scope.brandId ?? q.brand_id;
  const rows = await ctx.db.select().from(invoices).where(and(
    q.period ? eq(invoices.period, q.period) : undefined, q.status ? eq(invoices.status, q.status) : undefined,
    brandId ? eq(invoices.brandId, brandId) : undefined, q.currency ? eq(invoices.currency, q.currency) : undefined,
  )).orderBy(asc(invoices.period), asc(invoices.seq));
  return rows.map((i) => serializeInvoice(i));
}

export async function getInvoice(ctx: AppContext, id: string, scope: { brandId?: string } = {}) {
  const [row] = await ctx.db.select().from(invoices).where(and(eq(invoices.id, id), scope.brandId ? eq(invoices.brandId, scope.brandId) : undefined));
  if (!row) throw new NotFound("Invoice not found");
  const lines = await ctx.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, id)).orderBy(asc(invoiceLines.position));
  return { row, lines };
}

export const invoicePaidBody = z.strictObject({ reference: z.string().trim().min(1).max(200).optional() });
export const voidInvoiceBody = z.strictObject({ reason: z.string().trim().min(3, "give a reason (at least 3 characters)").max(500) });

/** issued -> paid (conditional update); a repeat is a no-op success. */
export async function markInvoicePaid(ctx: AppContext, actor: Actor, id: string, reference: string | null) {
  const { row } = await getInvoice(ctx, id);
  if (row.status === "paid") return { changed: false, invoice: serializeInvoice(row) };
  if (row.status !== "issued") throw new Conflict(`Cannot mark a ${row.status} invoice paid`);
  const now = ctx.clock.now();
  const [u] = await ctx.client.batch([
    { sql: `UPDATE invoices SET status = 'paid', paid_at = ?, payment_reference = ? WHERE id = ? AND status = 'issued'`, args: [now, reference, id] },
    auditIfChanged({ actor, at: now, action: "invoice.paid", entityType: "invoice", entityId: id, fromStatus: "issued", toStatus: "paid", reason: reference, data: { number: row.number, total_minor: row.totalMinor, currency: row.currency } }),
  ], "write");
  const after = (await getInvoice(ctx, id)).row;
  if (u!.rowsAffected === 0 && after.status !== "paid") throw new Conflict(`Cannot mark a ${after.status} invoice paid`);
  return { changed: u!.rowsAffected === 1, invoice: serializeInvoice(after) };
}

/**
 * issued -> void, never edited: in the same transaction a replacement with the
 * next gapless number of the period is issued with the same lines and the
 * brand's current billing details (the usual reason to void). Net 30 from now.
 */
export async function voidInvoice(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const { row, lines } = await getInvoice(ctx, id);
  if (row.status !== "issued") throw new Conflict(`Cannot void a ${row.status} invoice`);
  const now = ctx.clock.now();
  const [b] = await ctx.db.select({ name: brands.name, bill: brandBilling }).from(brands).leftJoin(brandBilling, eq(brandBilling.brandId, brands.id)).where(eq(brands.id, row.brandId));
  const billTo = b?.bill ? JSON.stringify({ name: b.bill.legalName, address: b.bill.address, tax_id: b.bill.taxId, email: b.bill.email }) : row.billTo;
  const newId = uuidv7(now);
  const [voided] = await ctx.client.batch([
    { sql: `UPDATE invoices SET status = 'void', voided_at = ?, void_reason = ? WHERE id = ? AND status = 'issued'`, args: [now, reason, id] },
    auditIfChanged({ actor, at: now, action: "invoice.voided", entityType: "invoice", entityId: id, fromStatus: "issued", toStatus: "void", reason, data: { number: row.number, replaced_by: newId } }),
    // The replacement only if this call voided it (a second void fails the unique live-invoice index).
    insertInvoiceSql({ ...row, id: newId, status: "issued", billTo, issuedAt: now, dueAt: now + NET_DAYS * DAY_MS, replacesId: id, createdAt: now }),
    ...insertRows(invoiceLines, lines.map((l) => ({ ...l, id: uuidv7(now), invoiceId: newId }))),
  ], "write").catch(async (e) => {
    const after = (await getInvoice(ctx, id)).row;
    if (after.status !== "issued") throw new Conflict(`Cannot void a ${after.status} invoice`);
    throw e;
  });
  if (voided!.rowsAffected === 0) throw new Conflict("The invoice changed while voiding it");
  const replacement = await getInvoice(ctx, newId);
  return { voided: serializeInvoice((await getInvoice(ctx, id)).row), replacement: serializeInvoice(replacement.row, replacement.lines) };
}
