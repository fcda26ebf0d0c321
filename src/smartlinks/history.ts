import { desc, eq } from "drizzle-orm";
import { getProgramRow } from "../network/programs";
import type { AppContext } from "../context";
import { programScores, rubricVersions } from "../db/schema";
import { iso } from "../shared/time";
import { toRubric, type Scores } from "./rubric";
import { formatScore, serializeRubric } from "./serialize";

/** Every rubric version, newest first. */
export async function listRubricVersions(ctx: AppContext) {
  const rows = await ctx.db.select().from(rubricVersions).orderBy(desc(rubricVersions.version));
  return rows.map((r) => serializeRubric(toRubric(r)));
}

/** A program's score rows, newest first (404 for an unknown program). */
export async function listProgramScores(ctx: AppContext, programId: string) {
  await getProgramRow(ctx, programId);
  const rows = await ctx.db.select().from(programScores).where(eq(programScores.programId, programId))
    .orderBy(desc(programScores.createdAt), desc(programScores.id));
  return rows.map((r) => ({
    id: r.id, rubric_version: r.rubricVersion, note: r.note, created_at: iso(r.createdAt),
    scores: Object.fromEntries(Object.entries(JSON.parse(r.scores) as Scores).map(([k, v]) => [k, formatScore(v)])),
  }));
}
