import type { conversions } from "../db/schema";
import { formatMinor } from "../shared/money";

export type ConversionRow = typeof conversions.$inferSelect;

import { iso } from "../shared/time";

/** The public JSON shape of a conversion: decimal strings beside exact minor units. */
export function serializeConversion(c: ConversionRow) {
  return {
    id: c.id,
    program_id: c.programId,
    brand_id: c.brandId,
    brand_order_ref: c.brandOrderRef,
    order_value: formatMinor(c.orderValueMinor, c.orderCurrency),
    order_value_minor: c.orderValueMinor,
    order_currency: c.orderCurrency,
    value: formatMinor(c.programValueMinor, c.currency),
    value_minor: c.programValueMinor,
    currency: c.currency,
    fx_rate: c.fxRate,
    click_id: c.clickId,
    publisher_id: c.publisherId,
    attributed: c.publisherId !== null,
    attribution: c.attributionReason,
    commission: formatMinor(c.commissionMinor, c.currency),
    commission_minor: c.commissionMinor,
    network_fee: formatMinor(c.networkFeeMinor, c.currency),
    network_fee_minor: c.networkFeeMinor,
    publisher_payout: formatMinor(c.publisherPayoutMinor, c.currency),
    publisher_payout_minor: c.publisherPayoutMinor,
    platform_commission: c.platformCommissionMinor === null ? null : formatMinor(c.platformCommissionMinor, c.platformCommissionCurrency ?? c.orderCurrency),
    platform_commission_minor: c.platformCommissionMinor,
    platform_commission_currency: c.platformCommissionCurrency,
    status: c.status,
    source: c.source,
    test: c.isTest,
    reversal_reason: c.reversalReason,
    created_at: iso(c.createdAt),
    approved_at: iso(c.approvedAt),
    reversed_at: iso(c.reversedAt),
  };
}

/**
 * The shape an actor may see: a publisher gets its own payout and the sale,
 * never the gross commission, the network fee or the platform's commission
 * (from which the fee could be worked out).
 */
export function serializeConversionFor(actor: { type: string }, c: ConversionRow) {
  const full = serializeConversion(c);
  if (actor.type !== "publisher") return full;
  const { commission: _c, commission_minor: _cm, network_fee: _f, network_fee_minor: _fm, platform_commission: _p,
    platform_commission_minor: _pm, platform_commission_currency: _pc, brand_id: _b, ...own } = full;
  return own;
}
