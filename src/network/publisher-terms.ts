import { applyBps, formatBps, formatMinor } from "../shared/money";
import type { programs } from "../db/schema";

type ProgramRow = typeof programs.$inferSelect;

/**
 * What a publisher earns per sale, as a publisher is shown it: the commission
 * less the network fee, without showing the fee itself. Flat: exact, rounded
 * by the money rule once (as at conversion time). Percentage: the effective
 * rate (payout = commission - fee, each rounded per sale, so it is "about").
 */
export function publisherTerms(p: ProgramRow): { text: string; exact: boolean } {
  if (p.commissionType === "flat_cpa") {
    const payout = p.commissionValue - applyBps(p.commissionValue, p.networkFeeBps);
    return { text: `${formatMinor(payout, p.currency)} ${p.currency} per sale`, exact: true };
  }
  const hundredths = p.commissionValue * (10000 - p.networkFeeBps); // bps x bps: rate in 1e-8
  const bps = Math.round(hundredths / 10000);
  return { text: `${formatBps(bps)}% of the sale`, exact: bps * 10000 === hundredths };
}
