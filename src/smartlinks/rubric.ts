import { desc, lte } from "drizzle-orm";
import type { Db } from "../db/client";
import { rubricVersions } from "../db/schema";

export interface Signal { key: string; name: string; description: string | null; weight: number }
export interface Rubric {
  version: number;
  thresholdHundredths: number;
  signals: Signal[];
  flatCommission: { minor: number; currency: string } | null;
  createdAt: number;
}
/** Scores in hundredths of 1 per signal key (0.75 -> 75). */
export type Scores = Record<string, number>;

export function toRubric(r: typeof rubricVersions.$inferSelect): Rubric {
  return {
    version: r.version, thresholdHundredths: r.thresholdHundredths, signals: JSON.parse(r.signals) as Signal[],
    flatCommission: r.flatCommissionMinor === null || !r.flatCommissionCurrency ? null : { minor: r.flatCommissionMinor, currency: r.flatCommissionCurrency },
    createdAt: r.createdAt,
  };
}

/** The rubric in force at `at` (the last version created at or before it), or null before the first. */
export async function rubricAt(db: Db, at: number): Promise<Rubric | null> {
  const [row] = await db.select().from(rubricVersions).where(lte(rubricVersions.createdAt, at)).orderBy(desc(rubricVersions.version)).limit(1);
  return row ? toRubric(row) : null;
}

/** Per-signal points (hundredths of a point) and their exact sum: weight x score, never typed by hand. */
export function breakdown(rubric: Rubric, scores: Scores): { total: number; parts: { key: string; score: number | null; points: number }[] } {
  let total = 0;
  const parts = rubric.signals.map((s) => {
    const score = scores[s.key] ?? null;
    const points = s.weight * (score ?? 0);
    total += points;
    return { key: s.key, score, points };
  });
  return { total, parts };
}
