/** The conversion events a publisher endpoint can subscribe to. */
export const OUTBOUND_EVENTS = ["conversion.created", "conversion.approved", "conversion.reversed"] as const;
export type OutboundEvent = (typeof OUTBOUND_EVENTS)[number];

/** The conversion status an event moved the conversion to (what {status} says). */
export const STATUS_OF_EVENT: Record<OutboundEvent, "pending" | "approved" | "reversed"> = {
  "conversion.created": "pending",
  "conversion.approved": "approved",
  "conversion.reversed": "reversed",
};
