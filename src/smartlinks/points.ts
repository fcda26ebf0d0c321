import { MoneyParseError, parseDecimal } from "../shared/money";

/**
 * Rubric arithmetic in integers: weights are whole points (summing to 100),
 * scores are hundredths of 1 (0.75 -> 75), so weight x score is a total in
 * hundredths of a point (70.00 -> 7000), exact, never a float.
 */
export const MAX_HUNDREDTHS = 10_000;

/** "69.99" / 70 -> 6999 / 7000, exactly; at most two decimals, within [0, max]. */
export function parseHundredths(input: string | number, max: number): number {
  const d = parseDecimal(input);
  if (d.scale > 2) {
    const drop = 10n ** BigInt(d.scale - 2);
    if (d.units % drop !== 0n) throw new MoneyParseError("has more than two decimal places");
    d.units /= drop; d.scale = 2;
  }
  const h = d.units * 10n ** BigInt(2 - d.scale);
  if (h < 0n || h > BigInt(max)) throw new MoneyParseError(`must be between 0 and ${formatHundredths(max)}`);
  return Number(h);
}

/** 7250 -> "72.50". */
export function formatHundredths(h: number): string {
  const sign = h < 0 ? "-" : "";
  const a = Math.abs(h);
  return `${sign}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, "0")}`;
}
