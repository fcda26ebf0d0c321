import { and, eq, isNotNull, lte } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import { SYSTEM } from "../auth/authenticate";
import type { AppContext } from "../context";
import { conversions, programs } from "../db/schema";
import { DAY_MS } from "../shared/clock";
import { writableScope } from "./scope";
import { transitionConversion, type TransitionResult } from "./transition";

/** Brands and admins may reverse for this long after a conversion is recorded. */
export const REVERSAL_WINDOW_DAYS = 30;

export function approveConversion(ctx: AppContext, actor: Actor, id: string): Promise<TransitionResult> {
  const scope = writableScope(actor);
  return transitionConversion(ctx, actor, { id, to: "approved", from: ["pending"], brandId: scope.brandId, isTest: scope.isTest });
}

/**
 * Refund, chargeback or fraud: pending, approved or paid -> reversed, with a
 * reason; a brand only its own. A settled (or paid) conversion's reversal also
 * writes a settlement adjustment (settlement/adjustment-writer.ts) that the
 * next close nets out.
 */
export function reverseConversion(ctx: AppContext, actor: Actor, id: string, reason: string): Promise<TransitionResult> {
  const opts = writableScope(actor);
  return transitionConversion(ctx, actor, {
    id, to: "reversed", from: ["pending", "approved", "paid"], reason,
    createdSince: ctx.clock.now() - REVERSAL_WINDOW_DAYS * DAY_MS, brandId: opts.brandId, isTest: opts.isTest,
  });
}

/**
 * Approves pending conversions of programs with auto_approve_days once they
 * are that old. Safe to re-run: each approval is a conditional update.
 */
export async function autoApproveDue(ctx: AppContext): Promise<{ done: number; alreadyDone: number; failures: number }> {
  const now = ctx.clock.now();
  const withAuto = await ctx.db.select({ id: programs.id, days: programs.autoApproveDays })
    .from(programs).where(isNotNull(programs.autoApproveDays));
  let done = 0, alreadyDone = 0, failures = 0;
  for (const p of withAuto) {
    const due = await ctx.db.select({ id: conversions.id }).from(conversions).where(and(
      eq(conversions.programId, p.id), eq(conversions.status, "pending"),
      lte(conversions.createdAt, now - p.days! * DAY_MS),
    ));
    for (const c of due) {
      try {
        const r = await approveConversion(ctx, SYSTEM, c.id);
        r.changed ? done++ : alreadyDone++;
      } catch {
        failures++;
      }
    }
  }
  return { done, alreadyDone, failures };
}
