import { VISITOR_KEYS, type Attributes, type Device } from "./attributes";

/** What ranking may look at: deliberately no commission, so payout cannot change an order. */
export interface RankProgram {
  id: string;
  status: "active" | "paused";
  /** Total rubric score in hundredths of a point; null when not scored. */
  score: number | null;
  attributes: Attributes;
}

export interface Visitor { country: string | null; device: Device | null }

export interface Ranked<P extends RankProgram = RankProgram> {
  program: P;
  score: number;
  /** How many of the request's dimensions the program targets explicitly (criteria and visitor). */
  fit: number;
}

/** The tie-break stated on the public /rubric page; keep the two in step. */
export const TIE_BREAK_RULE =
  "Eligible programs are ordered by fit to the request first (how many of the link's criteria and the visitor's country and device the program names explicitly), " +
  "then the higher rubric score, then the program created first (lowest program id). Commission is never an input.";

const overlaps = (a: string[], b: string[]) => a.some((x) => b.includes(x));

/**
 * Fit of one program to one request, or null when it cannot serve it. A
 * criterion on an attribute the program does not carry excludes it, except
 * countries and devices: a program without them serves everyone (fit 0 for
 * that dimension), one that lists them must list the requested value (fit 1).
 */
export function fitOf(attributes: Attributes, criteria: Attributes, visitor: Visitor): number | null {
  let fit = 0;
  const wanted: [string, string[]][] = Object.entries(criteria);
  if (visitor.country) wanted.push(["countries", [visitor.country]]);
  if (visitor.device) wanted.push(["devices", [visitor.device]]);
  for (const [key, values] of wanted) {
    const has = attributes[key];
    if (!has) {
      if ((VISITOR_KEYS as readonly string[]).includes(key)) continue;
      return null;
    }
    if (!overlaps(has, values)) return null;
    fit++;
  }
  return fit;
}

/**
 * Eligible programs for a request, best first. Eligible: active, scored at
 * or above the threshold, matching every criterion and the visitor. Order:
 * fit desc, score desc, program id asc (UUIDv7 ids: creation order).
 */
export function rank<P extends RankProgram>(input: {
  programs: readonly P[]; thresholdHundredths: number; criteria: Attributes; visitor: Visitor;
}): Ranked<P>[] {
  const out: Ranked<P>[] = [];
  for (const p of input.programs) {
    if (p.status !== "active" || p.score === null || p.score < input.thresholdHundredths) continue;
    const fit = fitOf(p.attributes, input.criteria, input.visitor);
    if (fit === null) continue;
    out.push({ program: p, score: p.score, fit });
  }
  return out.sort((a, b) => b.fit - a.fit || b.score - a.score || (a.program.id < b.program.id ? -1 : a.program.id > b.program.id ? 1 : 0));
}
