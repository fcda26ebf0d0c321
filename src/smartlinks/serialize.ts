import { formatMinor } from "../shared/money";
import { iso } from "../shared/time";
import { formatHundredths } from "./points";
import type { Rubric } from "./rubric";

export function serializeRubric(r: Rubric) {
  return {
    version: r.version, threshold: formatHundredths(r.thresholdHundredths), threshold_hundredths: r.thresholdHundredths,
    signals: r.signals.map((s) => ({ key: s.key, name: s.name, description: s.description, weight: s.weight })),
    flat_commission: r.flatCommission
      ? { amount: formatMinor(r.flatCommission.minor, r.flatCommission.currency), amount_minor: r.flatCommission.minor, currency: r.flatCommission.currency }
      : null,
    created_at: iso(r.createdAt),
  };
}

/** 0.75 as stored (75) -> "0.75". */
export const formatScore = (hundredthsOfOne: number | null) => (hundredthsOfOne === null ? null : formatHundredths(hundredthsOfOne));
