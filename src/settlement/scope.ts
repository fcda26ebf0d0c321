import type { Actor } from "../auth/authenticate";
import { Forbidden } from "../shared/errors";
import type { PayoutScope } from "./payouts";

/**
 * Settlement documents an actor may see, decided here: the network all; a
 * brand only its own invoices (a test key none: test conversions never
 * settle); a publisher only its own payouts and statements. Nobody else.
 */
export function invoiceScope(actor: Actor): { brandId?: string } {
  if (actor.type === "admin" || actor.type === "system") return {};
  if (actor.type === "brand") return { brandId: actor.via === "key" && actor.mode === "test" ? "\u0000none" : actor.brandId };
  throw new Forbidden("Only the network and the billed brand see invoices");
}

export function payoutScope(actor: Actor): PayoutScope {
  if (actor.type === "admin" || actor.type === "system") return {};
  if (actor.type === "publisher") return { publisherId: actor.publisherId };
  throw new Forbidden("Only the network and the paid publisher see payouts");
}
