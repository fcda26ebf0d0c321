/** Platform status words -> our three states. */
import type { ConversionStatus } from "../types";
import { present } from "./fields";

const WORDS: Record<ConversionStatus, string[]> = {
  approved: ["approved", "approve", "accepted", "confirmed", "complete", "completed", "locked", "cleared", "paid", "valid", "success"],
  pending: ["pending", "new", "open", "hold", "on_hold", "held", "processing", "created", "waiting", "unpaid", "in_review", "review"],
  reversed: [
    "reversed", "reverse", "reversal", "denied", "declined", "rejected", "refunded", "cancelled", "canceled",
    "voided", "void", "invalid", "chargeback", "fraud", "failed", "unqualified", "deleted",
  ],
};
const TABLE = new Map<string, ConversionStatus>(
  (Object.entries(WORDS) as [ConversionStatus, string[]][]).flatMap(([s, ws]) => ws.map((w) => [w, s] as const)),
);

/** "APPROVED", "Approved", "on-hold" ... -> a status; null when the word is unknown. */
export function mapStatusWord(word: string): ConversionStatus | null {
  return TABLE.get(word.trim().toLowerCase().replace(/[\s-]+/g, "_")) ?? null;
}

/** The status a platform sent in `name`; `fallback` when it sent none (or an unreplaced macro). */
export function statusFrom(
  name: string, value: unknown, fallback: ConversionStatus = "pending",
): ConversionStatus | { unknown: string; name: string } {
  const text = present(value);
  if (text === null) return fallback;
  return mapStatusWord(text) ?? { unknown: text, name };
}
