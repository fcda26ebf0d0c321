import { desc, eq, gt } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { settlements } from "../db/schema";
import { Conflict, Validation } from "../shared/errors";
import { parsePeriod } from "../shared/period";
import { claimPeriod } from "./claim";
import { finishClose } from "./finish";
import type { SettlementSummary } from "./summary";

export interface CloseResult { created: boolean; summary: SettlementSummary }

/**
 * Closes a month (SPEC §9): write-once. The scheduler, the CLI and the API all
 * call this. A rerun, a restart, a second instance or two closes at once all
 * end with the one summary of the one close; `created` is true only for the
 * call whose claim inserted the period's row.
 */
export async function closePeriod(ctx: AppContext, actor: Actor, periodKey: string): Promise<CloseResult> {
  const zone = ctx.config.NETWORK_TIMEZONE;
  const p = parsePeriod(periodKey, zone);
  if (!p) throw new Validation({ period: ["must be a month like 2026-11"] });
  const existing = await load(ctx, p.key);
  if (existing?.status === "closed") return { created: false, summary: JSON.parse(existing.summary!) };
  if (!existing) {
    if (ctx.clock.now() < p.end) {
      throw new Validation({ period: [`${p.key} has not ended yet (it ends ${new Date(p.end).toISOString()}, ${zone})`] }, "The period has not ended");
    }
    const [later] = await ctx.db.select({ period: settlements.period }).from(settlements).where(gt(settlements.period, p.key)).orderBy(desc(settlements.period)).limit(1);
    if (later) throw new Conflict(`${later.period} is already closed: periods close in order`);
  }
  const { created } = await claimPeriod(ctx, actor, p);
  const row = (await load(ctx, p.key))!;
  if (row.status === "closed") return { created, summary: JSON.parse(row.summary!) };
  return { created, summary: await finishClose(ctx, row) };
}

async function load(ctx: AppContext, period: string) {
  const [row] = await ctx.db.select().from(settlements).where(eq(settlements.period, period));
  return row;
}

export async function listSettlements(ctx: AppContext) {
  const rows = await ctx.db.select().from(settlements).orderBy(desc(settlements.period));
  return rows.map((r) => (r.summary ? { status: r.status, ...JSON.parse(r.summary) } : { settlement_id: r.id, period: r.period, status: r.status }));
}
