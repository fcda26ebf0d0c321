import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditIfChanged } from "../audit/audit";
import { uuidv7 } from "../shared/ids";
import type { Period } from "../shared/period";

/**
 * Step 1 of the close, one write transaction: the settlements row
 * (insert-or-nothing on the unique period) and, only if that insert happened,
 * the claims: every approved, live, unsettled conversion recorded before the
 * period's end, every unclaimed adjustment made before it, and every balance
 * left unpaid by an earlier close (carried, on hold, failed). Each claim is a
 * conditional update, so whatever runs at the same time settles nothing twice.
 */
export async function claimPeriod(ctx: AppContext, actor: Actor, p: Period): Promise<{ created: boolean }> {
  const now = ctx.clock.now();
  const id = uuidv7(now);
  const mine = `EXISTS (SELECT 1 FROM settlements WHERE id = ? AND status = 'closing')`;
  const [inserted] = await ctx.client.batch([
    {
      sql: `INSERT INTO settlements (id, period, period_start, period_end, timezone, status, closed_at, actor_type)
            VALUES (?, ?, ?, ?, ?, 'closing', ?, ?) ON CONFLICT (period) DO NOTHING`,
      args: [id, p.key, p.start, p.end, ctx.config.NETWORK_TIMEZONE, now, actor.type],
    },
    auditIfChanged({ actor, at: now, action: "settlement.claimed", entityType: "settlement", entityId: id, toStatus: "closing", data: { period: p.key } }),
    {
      sql: `UPDATE conversions SET settlement_id = ? WHERE settlement_id IS NULL AND status = 'approved' AND is_test = 0
            AND created_at < ? AND ${mine}`,
      args: [id, p.end, id],
    },
    { sql: `UPDATE settlement_adjustments SET settlement_id = ? WHERE settlement_id IS NULL AND created_at < ? AND ${mine}`, args: [id, p.end, id] },
    {
      sql: `UPDATE payouts SET carried_into = ?, updated_at = ? WHERE carried_into IS NULL AND status IN ('carried', 'on_hold', 'failed')
            AND settlement_id <> ? AND ${mine}`,
      args: [id, now, id, id],
    },
  ], "write");
  return { created: inserted!.rowsAffected === 1 };
}
