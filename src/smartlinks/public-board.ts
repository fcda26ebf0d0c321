import { iso } from "../shared/time";
import { zonedDate } from "../shared/zoned-time";
import type { Board } from "./board";
import { formatHundredths } from "./points";
import { TIE_BREAK_RULE } from "./rank";
import { formatScore, serializeRubric } from "./serialize";

export const PLACEMENT_STATEMENT =
  "Placement is not paid. Programs are ranked only by fit to the request and by their score on this public rubric; " +
  "no program can pay for a higher score or a better position, and every program at or above the threshold earns the same flat commission on smart links.";

/** What a past board rebuilds, said on the page and in the JSON. */
export const AS_OF_STATEMENT =
  "This is the board as it stood at the end of that day: the rubric version in force, each program's latest scores by then, " +
  "and each program's name, status and attributes as they were (rebuilt from the audit trail). Programs created later are not listed. " +
  "Brand names are today's.";

/** What /rubric shows and /rubric.json returns: one object, so the two cannot disagree. Days are in the network timezone. */
export function publicBoard(board: Board, asOf: string | null, timezone: string) {
  const rubric = board.rubric;
  const weights = new Map(rubric?.signals.map((s) => [s.key, s.weight]) ?? []);
  // Unscored programs are listed too (never eligible): the page accounts for every program on the network.
  const programs = board.programs
    .map((p) => ({
      id: p.id, name: p.name, brand: p.brandName, status: p.status, status_now: p.statusNow ?? p.status, attributes: p.attributes,
      score: p.total === null ? null : formatHundredths(p.total), score_hundredths: p.total,
      eligible: rubric !== null && p.total !== null && p.total >= rubric.thresholdHundredths && p.status === "active",
      scored_at: iso(p.scored?.at), scored_on: p.scored ? zonedDate(p.scored.at, timezone) : null, note: p.scored?.note ?? null, scored_under_rubric_version: p.scored?.rubricVersion ?? null,
      breakdown: p.parts.map((x) => ({ key: x.key, weight: weights.get(x.key)!, score: formatScore(x.score), points: formatHundredths(x.points) })),
    }))
    .sort((a, b) => (b.score_hundredths ?? -1) - (a.score_hundredths ?? -1) || (a.id < b.id ? -1 : 1));
  return {
    as_of: asOf, timezone, at: iso(board.at), as_of_statement: asOf === null ? null : AS_OF_STATEMENT,
    rubric: rubric ? serializeRubric(rubric) : null,
    last_change_at: iso(board.lastChangeAt), last_change_on: board.lastChangeAt === null ? null : zonedDate(board.lastChangeAt, timezone),
    placement_statement: PLACEMENT_STATEMENT, tie_break_rule: TIE_BREAK_RULE, programs,
  };
}
export type PublicBoard = ReturnType<typeof publicBoard>;
