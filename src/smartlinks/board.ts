import { asc, eq, lte } from "drizzle-orm";
import type { AppContext } from "../context";
import { brands, programScores, programs } from "../db/schema";
import { parseAttributes, type Attributes } from "./attributes";
import { breakdown, rubricAt, type Rubric, type Scores } from "./rubric";

export interface BoardProgram {
  id: string; name: string; brandName: string; status: "active" | "paused"; attributes: Attributes;
  /** Set on a past board (programs-as-of.ts): the status today, where `status` is the one at the board's date. */
  statusNow?: "active" | "paused";
  destUrl: string; cookieWindowDays: number; passThroughParams: boolean; createdAt: number;
  /** The latest scores at the board's date, or null if never scored by then. */
  scored: { scores: Scores; note: string | null; at: number; rubricVersion: number } | null;
  /** Total against the board's rubric, hundredths of a point; null when unscored or no rubric. */
  total: number | null;
  parts: { key: string; score: number | null; points: number }[];
}

export interface Board { at: number; rubric: Rubric | null; programs: BoardProgram[]; lastChangeAt: number | null }

/**
 * The rubric and every program's scores as they were at `at`: the last
 * rubric version and the last score row of each program created by then
 * (both are append-only, so any past date can be rebuilt).
 */
export async function loadBoard(ctx: Pick<AppContext, "db">, at: number): Promise<Board> {
  const [rubric, programRows, scoreRows] = await Promise.all([
    rubricAt(ctx.db, at),
    ctx.db.select({
      id: programs.id, name: programs.name, brandName: brands.name, status: programs.status, attributes: programs.attributes,
      destUrl: programs.destUrl, cookieWindowDays: programs.cookieWindowDays, passThroughParams: programs.passThroughParams, createdAt: programs.createdAt,
    }).from(programs).innerJoin(brands, eq(brands.id, programs.brandId)).where(lte(programs.createdAt, at)).orderBy(asc(programs.id)),
    ctx.db.select().from(programScores).where(lte(programScores.createdAt, at)).orderBy(asc(programScores.createdAt), asc(programScores.id)),
  ]);
  const latest = new Map<string, (typeof scoreRows)[number]>();
  for (const s of scoreRows) latest.set(s.programId, s);
  let lastChangeAt = rubric?.createdAt ?? null;
  const list = programRows.map((p): BoardProgram => {
    const s = latest.get(p.id);
    if (s && (lastChangeAt === null || s.createdAt > lastChangeAt)) lastChangeAt = s.createdAt;
    const scored = s ? { scores: JSON.parse(s.scores) as Scores, note: s.note, at: s.createdAt, rubricVersion: s.rubricVersion } : null;
    const b = rubric && scored ? breakdown(rubric, scored.scores) : null;
    return { ...p, attributes: parseAttributes(p.attributes), scored, total: b?.total ?? null, parts: b?.parts ?? [] };
  });
  return { at, rubric, programs: list, lastChangeAt };
}
