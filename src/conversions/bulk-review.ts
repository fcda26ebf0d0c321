import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { AppError } from "../shared/errors";
import { approveConversion, reverseConversion } from "./review";

export const MAX_BULK = 200;

export interface BulkOutcome {
  id: string;
  /** "done": changed now; "already": it was already in that state; "refused": the domain said no (message says why). */
  result: "done" | "already" | "refused";
  message: string;
  orderRef: string | null;
}

/**
 * Approve or reverse several conversions, each through the one verb (its own
 * conditional update + audit row, its own scope check): one refusal does not
 * stop the rest, and each id reports what happened to it.
 */
export async function bulkReview(ctx: AppContext, actor: Actor, input: { ids: string[]; action: "approve" | "reverse"; reason?: string | null }): Promise<BulkOutcome[]> {
  const out: BulkOutcome[] = [];
  for (const id of [...new Set(input.ids)].slice(0, MAX_BULK)) {
    try {
      const r = input.action === "approve" ? await approveConversion(ctx, actor, id) : await reverseConversion(ctx, actor, id, input.reason ?? "");
      const word = input.action === "approve" ? "approved" : "reversed";
      out.push({ id, orderRef: r.conversion.brandOrderRef, result: r.changed ? "done" : "already", message: r.changed ? `${word[0]!.toUpperCase()}${word.slice(1)}` : `Already ${word}` });
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      out.push({ id, orderRef: null, result: "refused", message: `Refused: ${e.message}` });
    }
  }
  return out;
}
