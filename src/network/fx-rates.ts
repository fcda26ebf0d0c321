import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, fxRates } from "../db/schema";
import { auditValues } from "../audit/audit";
import { normalizeRate } from "../shared/money";
import { iso } from "../shared/time";
import { amount, currency, moneyField } from "../shared/validators";

export const putFxRateBody = z.strictObject({ base: currency, quote: currency, rate: amount })
  .refine((b) => b.base !== b.quote, { message: "base and quote must differ", path: ["quote"] });

/** Sets 1 base = rate quote (an exact decimal). Upsert; audited. */
export async function putFxRate(ctx: AppContext, actor: Actor, b: z.infer<typeof putFxRateBody>) {
  const rate = moneyField("rate", () => normalizeRate(b.rate));
  const now = ctx.clock.now();
  await ctx.db.batch([
    ctx.db.insert(fxRates).values({ base: b.base, quote: b.quote, rate, updatedAt: now })
      .onConflictDoUpdate({ target: [fxRates.base, fxRates.quote], set: { rate, updatedAt: now } }),
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "fx_rate.set", entityType: "fx_rate", entityId: `${b.base}/${b.quote}`, data: { rate } })),
  ]);
  return { base: b.base, quote: b.quote, rate, updated_at: iso(now) };
}

export async function listFxRates(ctx: AppContext) {
  const rows = await ctx.db.select().from(fxRates).orderBy(fxRates.base, fxRates.quote);
  return rows.map((r) => ({ base: r.base, quote: r.quote, rate: r.rate, updated_at: iso(r.updatedAt) }));
}
