import { sql } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { Forbidden } from "../shared/errors";
import { thresholdMinor } from "./compute";
import { validMethod } from "./gather";
import { getNetworkSettings } from "./network-settings";

export interface CurrencyBalance {
  currency: string;
  /** Carried, on hold or failed payouts not yet taken into a later close (may be negative). */
  carried_minor: number;
  /** Credited conversions still under review. */
  pending_minor: number;
  /** Approved, not settled yet: the next close takes them. */
  approved_minor: number;
  /** What the next close would pay before adjustments: carried + approved. */
  next_minor: number;
  threshold_minor: number;
}
export interface PublisherBalance { method: string | null; method_valid: boolean; currencies: CurrencyBalance[] }

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);

/**
 * A publisher's running balance per currency (SPEC §9), for its own console
 * page: only a publisher actor, only its own rows (never adds currencies).
 */
export async function publisherBalance(ctx: AppContext, actor: Actor): Promise<PublisherBalance> {
  if (actor.type !== "publisher") throw new Forbidden("Only a publisher has a payout balance");
  const id = actor.publisherId;
  const all = (q: ReturnType<typeof sql>) => ctx.db.all<Row>(q);
  const [carried, earning, info, network, known] = await Promise.all([
    all(sql`SELECT currency, sum(amount_minor) AS amount FROM payouts
      WHERE publisher_id = ${id} AND status IN ('carried', 'on_hold', 'failed') AND carried_into IS NULL GROUP BY currency`),
    all(sql`SELECT currency, status, sum(publisher_payout_minor) AS amount FROM conversions
      WHERE publisher_id = ${id} AND is_test = 0 AND settlement_id IS NULL AND status IN ('pending', 'approved') GROUP BY currency, status`),
    all(sql`SELECT p.payout_method, p.payout_details, t.threshold FROM publishers p LEFT JOIN publisher_thresholds t ON t.publisher_id = p.id WHERE p.id = ${id}`),
    getNetworkSettings(ctx),
    all(sql`SELECT DISTINCT currency FROM payouts WHERE publisher_id = ${id}`),
  ]);
  const me = info[0];
  const method = me?.payout_method === null || me?.payout_method === undefined ? null : String(me.payout_method);
  const by = new Map<string, CurrencyBalance>();
  const get = (currency: string) => {
    let b = by.get(currency);
    if (!b) {
      const threshold = me?.threshold ? String(me.threshold) : network.payout_threshold;
      by.set(currency, b = { currency, carried_minor: 0, pending_minor: 0, approved_minor: 0, next_minor: 0, threshold_minor: thresholdMinor(threshold, currency) });
    }
    return b;
  };
  // Currencies it was paid in show too (at zero), so the threshold progress stays visible after a payout.
  for (const r of known) get(String(r.currency));
  for (const r of carried) get(String(r.currency)).carried_minor += n(r.amount);
  for (const r of earning) {
    const b = get(String(r.currency));
    if (r.status === "pending") b.pending_minor += n(r.amount);
    else b.approved_minor += n(r.amount);
  }
  for (const b of by.values()) b.next_minor = b.carried_minor + b.approved_minor;
  return {
    method, method_valid: validMethod(method, me?.payout_details === null || me?.payout_details === undefined ? null : String(me.payout_details)),
    currencies: [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}
