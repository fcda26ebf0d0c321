import { z } from "zod";
import { getProgramRow } from "../network/programs";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditIfChanged } from "../audit/audit";
import { Conflict, Validation } from "../shared/errors";
import { uuidv7 } from "../shared/ids";
import { MoneyParseError } from "../shared/money";
import { iso } from "../shared/time";
import { amount } from "../shared/validators";
import { formatHundredths, parseHundredths } from "./points";
import { breakdown, rubricAt, type Scores } from "./rubric";
import { formatScore } from "./serialize";

export const putScoresBody = z.strictObject({
  /** {signal key: 0..1}, at most two decimals (0.75). */
  scores: z.record(z.string().max(64), amount),
  note: z.string().trim().max(1000).optional(),
});

/** Exact scores for every signal of the rubric, or 422 naming each field at fault. */
function parseScores(signalKeys: string[], raw: Record<string, string | number>, version: number): Scores {
  const fields: Record<string, string[]> = {};
  const scores: Scores = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!signalKeys.includes(k)) { fields[`scores.${k}`] = [`not a signal of rubric version ${version}`]; continue; }
    try { scores[k] = parseHundredths(v, 100); }
    catch (e) { if (!(e instanceof MoneyParseError)) throw e; fields[`scores.${k}`] = ["must be a number from 0 to 1 with at most two decimals"]; }
  }
  const missing = signalKeys.filter((k) => !(k in raw));
  if (missing.length) fields.scores = [`score every signal; missing: ${missing.join(", ")}`];
  if (Object.keys(fields).length) throw new Validation(fields);
  return scores;
}

/**
 * Records a program's scores as a new dated row (the old ones stay: history)
 * with its audit row. The total is computed from the rubric's weights.
 */
export async function putScores(ctx: AppContext, actor: Actor, programId: string, b: z.infer<typeof putScoresBody>) {
  await getProgramRow(ctx, programId);
  const now = ctx.clock.now();
  const rubric = await rubricAt(ctx.db, now);
  if (!rubric) throw new Conflict("No rubric is published yet: PUT /api/admin/rubric first");
  const scores = parseScores(rubric.signals.map((s) => s.key), b.scores, rubric.version);
  const { total } = breakdown(rubric, scores);
  const id = uuidv7(now);
  const note = b.note || null;
  await ctx.client.batch([
    {
      sql: "INSERT INTO program_scores (id, program_id, rubric_version, scores, note, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      args: [id, programId, rubric.version, JSON.stringify(scores), note, actor.id, now],
    },
    auditIfChanged({
      actor, at: now, action: "program.scored", entityType: "program", entityId: programId, reason: note,
      data: { rubric_version: rubric.version, scores, total_hundredths: total },
    }),
  ], "write");
  ctx.smart.invalidate();
  return {
    id, program_id: programId, rubric_version: rubric.version,
    scores: Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, formatScore(v)])),
    total: formatHundredths(total), total_hundredths: total, eligible: total >= rubric.thresholdHundredths,
    note, created_at: iso(now),
  };
}
