import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import { safeEqual } from "../auth/secrets";
import type { AppContext } from "../context";
import { ledgerEntries, referrers } from "../db/schema";
import { Conflict, NotFound } from "../shared/errors";
import { randomToken, uuidv7 } from "../shared/ids";
import { formatBps, formatMinor, parsePercentToBps } from "../shared/money";
import { iso } from "../shared/time";
import { amount, moneyField } from "../shared/validators";
import { auditWhenChanged } from "../audit/audit";

export const createReferrerBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).optional(),
  code: z.string().regex(/^[A-Za-z0-9_-]{3,40}$/, "3-40 letters, digits, _ or -").optional(),
  /** Credit per conversion as a percentage of its commission. */
  reward_pct: amount.default(10),
});

type ReferrerRow = typeof referrers.$inferSelect;

/** The read-only ledger link carries an HMAC of the referrer id under the secrets key. */
export function ledgerSignature(ctx: AppContext, referrerId: string): string {
  return ctx.secrets.mac("referrer-ledger", referrerId).slice(0, 32);
}
export function ledgerUrl(ctx: AppContext, referrerId: string): string {
  return `${ctx.config.PUBLIC_URL}/r/${referrerId}/ledger?sig=${ledgerSignature(ctx, referrerId)}`;
}
export function checkLedgerSignature(ctx: AppContext, referrerId: string, sig: string | null): boolean {
  return !!sig && safeEqual(sig, ledgerSignature(ctx, referrerId));
}

export async function createReferrer(ctx: AppContext, actor: Actor, b: z.infer<typeof createReferrerBody>) {
  const rewardBps = moneyField("reward_pct", () => parsePercentToBps(b.reward_pct));
  const now = ctx.clock.now();
  const row: ReferrerRow = { id: uuidv7(now), name: b.name, email: b.email ?? null, code: b.code ?? randomToken(6), rewardBps, createdAt: now };
  const [[inserted]] = await ctx.db.batch([
    ctx.db.insert(referrers).values(row).onConflictDoNothing().returning(),
    auditWhenChanged(ctx.db, { actor, at: now, action: "referrer.created", entityType: "referrer", entityId: row.id, data: { code: row.code, reward_bps: rewardBps } }),
  ]);
  if (!inserted) throw new Conflict(`Referral code "${row.code}" is already taken`);
  return serializeReferrer(ctx, row);
}

export async function getReferrerRow(ctx: AppContext, id: string): Promise<ReferrerRow> {
  const [row] = await ctx.db.select().from(referrers).where(eq(referrers.id, id));
  if (!row) throw new NotFound("Referrer not found");
  return row;
}

export async function listReferrers(ctx: AppContext) {
  const rows = await ctx.db.select().from(referrers).orderBy(desc(referrers.createdAt));
  return Promise.all(rows.map(async (r) => ({ ...serializeReferrer(ctx, r), balances: await referrerBalances(ctx, r.id) })));
}

/**
 * Balances are sums over entries, per currency, live only: `earned` is the net
 * of earns and reversals; `vested` counts vests and reversals of vested
 * conversions; `pending` is the rest.
 */
export async function referrerBalances(ctx: AppContext, referrerId: string) {
  const rows = await ctx.db.all<{ currency: string; earned: number; vested: number }>(sql`
    SELECT e.currency,
      coalesce(sum(CASE WHEN e.kind IN ('earn', 'reverse') THEN e.amount_minor ELSE 0 END), 0) AS earned,
      coalesce(sum(CASE WHEN e.kind = 'vest' THEN e.amount_minor
        WHEN e.kind = 'reverse' AND EXISTS (SELECT 1 FROM ledger_entries v WHERE v.conversion_id = e.conversion_id AND v.kind = 'vest') THEN e.amount_minor
        ELSE 0 END), 0) AS vested
    FROM ledger_entries e WHERE e.referrer_id = ${referrerId} AND e.is_test = 0 GROUP BY e.currency`);
  return rows.map((r) => ({
    currency: r.currency, earned: formatMinor(Number(r.earned), r.currency), vested: formatMinor(Number(r.vested), r.currency),
    pending: formatMinor(Number(r.earned) - Number(r.vested), r.currency),
    earned_minor: Number(r.earned), vested_minor: Number(r.vested), pending_minor: Number(r.earned) - Number(r.vested),
  }));
}

export async function referrerLedger(ctx: AppContext, referrerId: string) {
  const referrer = await getReferrerRow(ctx, referrerId);
  const entries = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.referrerId, referrerId)).orderBy(desc(ledgerEntries.id)).limit(500);
  return {
    referrer: serializeReferrer(ctx, referrer),
    balances: await referrerBalances(ctx, referrerId),
    entries: entries.map((e) => ({
      id: e.id, conversion_id: e.conversionId, kind: e.kind, amount: formatMinor(e.amountMinor, e.currency), amount_minor: e.amountMinor,
      currency: e.currency, test: e.isTest, created_at: iso(e.createdAt),
    })),
  };
}

export function serializeReferrer(ctx: AppContext, r: ReferrerRow) {
  return { id: r.id, name: r.name, email: r.email, code: r.code, reward_pct: formatBps(r.rewardBps), ledger_url: ledgerUrl(ctx, r.id), created_at: iso(r.createdAt) };
}
