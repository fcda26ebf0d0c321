import type { ConversionClick } from "../conversions/find-click";
import type { ConversionRow } from "../conversions/serialize";
import { formatMinor } from "../shared/money";
import { STATUS_OF_EVENT, type OutboundEvent } from "./events";
import type { MacroValues } from "./macros";

export interface DeliveryFacts {
  deliveryId: string;
  event: OutboundEvent;
  conversion: ConversionRow;
  click: Pick<ConversionClick, "sub1" | "sub2" | "sub3" | "sub4" | "sub5"> | null;
}

/** When the event happened (not when it is delivered), epoch ms. */
function eventTime(f: DeliveryFacts): number {
  const c = f.conversion;
  if (f.event === "conversion.approved") return c.approvedAt ?? c.updatedAt;
  if (f.event === "conversion.reversed") return c.reversedAt ?? c.updatedAt;
  return c.createdAt;
}

/**
 * The values a delivery carries. {status} is the status the event moved the
 * conversion to (a late "created" still says pending); {payout} is the
 * publisher's payout in the program currency, also on a reversal (the status
 * says it will not be paid); {test} is 1 for test-mode conversions, which are
 * delivered too so a publisher can check its tracker end to end.
 */
export function macroValues(f: DeliveryFacts): MacroValues {
  const c = f.conversion;
  return {
    click_id: c.clickId ?? "",
    sub1: f.click?.sub1 ?? "", sub2: f.click?.sub2 ?? "", sub3: f.click?.sub3 ?? "",
    sub4: f.click?.sub4 ?? "", sub5: f.click?.sub5 ?? "",
    order_ref: c.brandOrderRef,
    payout: formatMinor(c.publisherPayoutMinor, c.currency),
    payout_minor: String(c.publisherPayoutMinor),
    currency: c.currency,
    status: STATUS_OF_EVENT[f.event],
    program_id: c.programId,
    publisher_id: c.publisherId ?? "",
    conversion_id: c.id,
    event: f.event,
    test: c.isTest ? "1" : "0",
    delivery_id: f.deliveryId,
    timestamp: String(Math.floor(eventTime(f) / 1000)),
  };
}

/** The POST body: the same values, typed (numbers, boolean, null for absent). */
export function jsonPayload(v: MacroValues): Record<string, string | number | boolean | null> {
  const orNull = (s: string) => (s === "" ? null : s);
  return {
    event: v.event, delivery_id: v.delivery_id, conversion_id: v.conversion_id, status: v.status,
    program_id: v.program_id, publisher_id: v.publisher_id, click_id: orNull(v.click_id),
    sub1: orNull(v.sub1), sub2: orNull(v.sub2), sub3: orNull(v.sub3), sub4: orNull(v.sub4), sub5: orNull(v.sub5),
    order_ref: v.order_ref, payout: v.payout, payout_minor: Number(v.payout_minor), currency: v.currency,
    test: v.test === "1", timestamp: Number(v.timestamp),
  };
}
