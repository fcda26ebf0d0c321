import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditIfChanged } from "../audit/audit";
import { Conflict, Validation } from "../shared/errors";
import { MoneyParseError, parseMoneyToMinor } from "../shared/money";
import { amount, currency } from "../shared/validators";
import { MAX_HUNDREDTHS, parseHundredths } from "./points";
import type { Rubric, Signal } from "./rubric";
import { serializeRubric } from "./serialize";

const signal = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, "a lower-case slug (a-z, 0-9, _ or -), up to 40 characters"),
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(1000).optional(),
  weight: z.number().int("weights are whole points").min(1).max(100),
});

export const putRubricBody = z.strictObject({
  threshold: amount.default(70),
  signals: z.array(signal).min(1).max(50),
  /** The one commission every eligible program earns on smart-link conversions; omitted: each program's own terms. */
  flat_commission: z.strictObject({ amount, currency }).nullable().optional(),
}).superRefine((b, c) => {
  const keys = b.signals.map((s) => s.key);
  const dup = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (dup.length) c.addIssue({ code: "custom", path: ["signals"], message: `signal keys must be unique; repeated: ${[...new Set(dup)].join(", ")}` });
  const sum = b.signals.reduce((a, s) => a + s.weight, 0);
  if (sum !== 100) c.addIssue({ code: "custom", path: ["signals"], message: `weights must sum to 100; they sum to ${sum}` });
});

/** Publishes the next rubric version (never edits one) with its audit row, in one batch. */
export async function putRubric(ctx: AppContext, actor: Actor, b: z.infer<typeof putRubricBody>) {
  const fields: Record<string, string[]> = {};
  let thresholdHundredths = 0, flatMinor: number | null = null;
  try { thresholdHundredths = parseHundredths(b.threshold, MAX_HUNDREDTHS); }
  catch (e) { if (!(e instanceof MoneyParseError)) throw e; fields.threshold = [`threshold ${e.message}`]; }
  if (b.flat_commission) {
    try { flatMinor = parseMoneyToMinor(b.flat_commission.amount, b.flat_commission.currency); }
    catch (e) { if (!(e instanceof MoneyParseError)) throw e; fields["flat_commission.amount"] = [e.message]; }
  }
  if (Object.keys(fields).length) throw new Validation(fields);
  const signals: Signal[] = b.signals.map((s) => ({ key: s.key, name: s.name, description: s.description ?? null, weight: s.weight }));
  const now = ctx.clock.now();
  const signalsJson = JSON.stringify(signals);
  const currencyCode = b.flat_commission?.currency ?? null;
  const version = await insertNextVersion(ctx, actor, now, [thresholdHundredths, signalsJson, flatMinor, currencyCode], signals);
  ctx.smart.invalidate();
  const rubric: Rubric = { version, thresholdHundredths, signals, flatCommission: flatMinor === null ? null : { minor: flatMinor, currency: currencyCode! }, createdAt: now };
  return serializeRubric(rubric);
}

/**
 * Version n+1 goes in with insert-or-nothing on the version key and its audit
 * row only if it did: a PUT racing another gets the conflict and takes the
 * next number, so no two rubrics ever share a version.
 */
async function insertNextVersion(ctx: AppContext, actor: Actor, now: number, values: (string | number | null)[], signals: Signal[]): Promise<number> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const max = await ctx.client.execute("SELECT coalesce(max(version), 0) FROM rubric_versions");
    const version = Number(max.rows[0]![0]) + 1;
    const [inserted] = await ctx.client.batch([
      {
        sql: `INSERT INTO rubric_versions (version, threshold_hundredths, signals, flat_commission_minor, flat_commission_currency, actor_id, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(version) DO NOTHING`,
        args: [version, ...values, actor.id, now],
      },
      auditIfChanged({
        actor, at: now, action: "rubric.published", entityType: "rubric", entityId: String(version),
        data: { threshold_hundredths: values[0], signals, flat_commission_minor: values[2], flat_commission_currency: values[3] },
      }),
    ], "write");
    if (inserted!.rowsAffected === 1) return version;
  }
  throw new Conflict("The rubric is being changed by someone else right now; try again");
}
