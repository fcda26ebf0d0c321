import { applyBps } from "../shared/money";

export type CommissionType = "flat_cpa" | "percentage";

export interface CommissionTerms {
  commissionType: CommissionType;
  /** flat_cpa: minor units of the program currency; percentage: basis points. */
  commissionValue: number;
  networkFeeBps: number;
}

export interface CommissionSplit { commissionMinor: number; networkFeeMinor: number; publisherPayoutMinor: number }

/**
 * commission = flat value, or order x rate; fee = commission x fee rate (each
 * rounded once by the money rule); payout = commission - fee, so the three
 * always add up. Unattributed conversions keep the fee and pay nobody.
 */
export function computeCommission(terms: CommissionTerms, orderValueMinor: number, attributed: boolean): CommissionSplit {
  const commissionMinor = terms.commissionType === "flat_cpa"
    ? terms.commissionValue
    : applyBps(orderValueMinor, terms.commissionValue);
  const networkFeeMinor = applyBps(commissionMinor, terms.networkFeeBps);
  return {
    commissionMinor,
    networkFeeMinor,
    publisherPayoutMinor: attributed ? commissionMinor - networkFeeMinor : 0,
  };
}
