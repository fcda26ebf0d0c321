import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { payoutLines, payouts, PAYOUT_STATUSES } from "../db/schema";
import { auditIfChanged } from "../audit/audit";
import { Conflict, NotFound } from "../shared/errors";
import { PERIOD_RE } from "../shared/period";
import { serializePayout } from "./serialize";

export const listPayoutsQuery = z.strictObject({
  period: z.string().regex(PERIOD_RE, "must be a month like 2026-11").optional(),
  status: z.enum(PAYOUT_STATUSES).optional(),
  publisher_id: z.string().max(64).optional(),
});

/** Who may see a payout: a publisher caller only its own (the console passes it; the admin API none). */
export interface PayoutScope { publisherId?: string }
export type PayoutFilters = z.infer<typeof listPayoutsQuery> & { method?: string; currency?: string };

export async function listPayouts(ctx: AppContext, q: PayoutFilters, scope: PayoutScope = {}) {
  const publisherId = scope.publisherId ?? q.publisher_id;
  const rows = await ctx.db.select().from(payouts).where(and(
    q.period ? eq(payouts.period, q.period) : undefined, q.status ? eq(payouts.status, q.status) : undefined,
    publisherId ? eq(payouts.publisherId, publisherId) : undefined,
    q.method ? eq(payouts.method, q.method) : undefined, q.currency ? eq(payouts.currency, q.currency) : undefined,
  )).orderBy(asc(payouts.period), asc(payouts.publisherId), asc(payouts.currency));
  return rows.map((p) => serializePayout(p));
}

export async function getPayout(ctx: AppContext, id: string, scope: PayoutScope = {}) {
  const [p] = await ctx.db.select().from(payouts).where(and(eq(payouts.id, id), scope.publisherId ? eq(payouts.publisherId, scope.publisherId) : undefined));
  if (!p) throw new NotFound("Payout not found");
  const lines = await ctx.db.select().from(payoutLines).where(eq(payoutLines.payoutId, id)).orderBy(asc(payoutLines.kind), asc(payoutLines.description));
  return { row: p, lines };
}

export const markPaidBody = z.strictObject({ reference: z.string().trim().min(1).max(200) });
export const markFailedBody = z.strictObject({ reason: z.string().trim().min(3, "give a reason (at least 3 characters)").max(500) });

/**
 * scheduled -> paid with the bank/PayPal reference, as one conditional update.
 * The payout's settled conversions, and those of the earlier balances carried
 * forward for the same publisher and currency, move approved -> paid in the
 * same transaction (SPEC's `paid` conversion status). Repeating it with the same
 * reference is a no-op success; anything else not scheduled is a 409.
 */
export async function markPayoutPaid(ctx: AppContext, actor: Actor, id: string, reference: string) {
  const { row } = await getPayout(ctx, id);
  if (row.status === "paid" && row.reference === reference) return { changed: false, payout: serializePayout(row) };
  if (row.status !== "scheduled") throw new Conflict(`Cannot mark a ${row.status} payout paid`);
  const now = ctx.clock.now();
  const [updated] = await ctx.client.batch([
    { sql: `UPDATE payouts SET status = 'paid', reference = ?, paid_at = ?, updated_at = ? WHERE id = ? AND status = 'scheduled'`, args: [reference, now, now, id] },
    auditIfChanged({ actor, at: now, action: "payout.paid", entityType: "payout", entityId: id, fromStatus: "scheduled", toStatus: "paid", reason: reference, data: { amount_minor: row.amountMinor, currency: row.currency } }),
    {
      sql: `UPDATE conversions SET status = 'paid', updated_at = ? WHERE publisher_id = ? AND currency = ? AND status = 'approved'
            AND settlement_id IN (SELECT ? UNION SELECT settlement_id FROM payouts
              WHERE publisher_id = ? AND currency = ? AND carried_into IS NOT NULL AND period <= ?)
            AND EXISTS (SELECT 1 FROM payouts WHERE id = ? AND status = 'paid' AND paid_at = ?)`,
      args: [now, row.publisherId, row.currency, row.settlementId, row.publisherId, row.currency, row.period, id, now],
    },
  ], "write");
  return afterTransition(ctx, id, updated!.rowsAffected, "paid", reference);
}

/** scheduled -> failed: the amount goes back to the publisher's balance (the next close carries it in). */
export async function markPayoutFailed(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const { row } = await getPayout(ctx, id);
  if (row.status === "failed") return { changed: false, payout: serializePayout(row) };
  if (row.status !== "scheduled") throw new Conflict(`Cannot mark a ${row.status} payout failed`);
  const now = ctx.clock.now();
  const [updated] = await ctx.client.batch([
    { sql: `UPDATE payouts SET status = 'failed', failure_reason = ?, failed_at = ?, updated_at = ? WHERE id = ? AND status = 'scheduled'`, args: [reason, now, now, id] },
    auditIfChanged({ actor, at: now, action: "payout.failed", entityType: "payout", entityId: id, fromStatus: "scheduled", toStatus: "failed", reason, data: { amount_minor: row.amountMinor, currency: row.currency } }),
  ], "write");
  return afterTransition(ctx, id, updated!.rowsAffected, "failed", reason);
}

async function afterTransition(ctx: AppContext, id: string, changed: number, to: "paid" | "failed", detail: string) {
  const { row } = await getPayout(ctx, id);
  if (changed === 0) {
    // Someone else moved it between our read and write.
    if (row.status === to && (to === "failed" || row.reference === detail)) return { changed: false, payout: serializePayout(row) };
    throw new Conflict(`Cannot mark a ${row.status} payout ${to}`);
  }
  return { changed: true, payout: serializePayout(row) };
}

export const bulkResultsBody = z.strictObject({
  results: z.array(z.strictObject({
    payout_id: z.string().min(1).max(64),
    status: z.enum(["paid", "failed"]).default("paid"),
    reference: z.string().trim().max(200).optional(),
    reason: z.string().trim().max(500).optional(),
  })).min(1).max(5000),
});

/** The results of a payout file, row by row; each row is its own conditional update, so a re-upload changes nothing twice. */
export async function applyPayoutResults(ctx: AppContext, actor: Actor, results: z.infer<typeof bulkResultsBody>["results"]) {
  const out: { payout_id: string; outcome: "paid" | "failed" | "unchanged" | "error"; message?: string }[] = [];
  for (const r of results) {
    try {
      const res = r.status === "paid"
        ? await markPayoutPaid(ctx, actor, r.payout_id, requireText(r.reference, "reference"))
        : await markPayoutFailed(ctx, actor, r.payout_id, requireText(r.reason, "reason"));
      out.push({ payout_id: r.payout_id, outcome: res.changed ? r.status : "unchanged" });
    } catch (e) {
      out.push({ payout_id: r.payout_id, outcome: "error", message: e instanceof Error ? e.message : String(e) });
    }
  }
  const count = (o: string) => out.filter((x) => x.outcome === o).length;
  return { paid: count("paid"), failed: count("failed"), unchanged: count("unchanged"), errors: count("error"), results: out };
}

function requireText(v: string | undefined, field: string): string {
  if (!v || v.length < (field === "reason" ? 3 : 1)) throw new Conflict(`${field} is required for this status`);
  return v;
}

