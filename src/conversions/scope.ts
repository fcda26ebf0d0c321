import type { Actor } from "../auth/authenticate";
import { Forbidden } from "../shared/errors";

/** The rows of conversions an actor may see or change. */
export interface ConversionScope { brandId?: string; publisherId?: string; isTest?: boolean }

/**
 * Scope from the actor, decided here and nowhere else: an admin (token or
 * user) and the system see everything; an integration acts only on the rows its
 * own verified webhook found (network-level, like the system); a brand its own
 * programs' conversions (a brand key only its mode's: a test key never sees live
 * rows, a live key never test rows; a brand user both); a publisher only the
 * live conversions credited to it.
 */
export function conversionScope(actor: Actor): ConversionScope {
  switch (actor.type) {
    case "admin": case "system": case "integration": return {};
    case "brand": return actor.via === "key" ? { brandId: actor.brandId, isTest: actor.mode === "test" } : { brandId: actor.brandId };
    case "publisher": return { publisherId: actor.publisherId, isTest: false };
  }
}

/** Changing a conversion's state (approve, reverse) is for the network and for the brand that owns it. */
export function writableScope(actor: Actor): ConversionScope {
  if (actor.type === "publisher") throw new Forbidden("Publishers cannot change conversions");
  return conversionScope(actor);
}
