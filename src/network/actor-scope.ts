import type { Actor } from "../auth/authenticate";
import { Forbidden } from "../shared/errors";

/** Network-management verbs run for the network itself: an admin (session or token) or the system. */
export function requireAdmin(actor: Actor): void {
  if (actor.type !== "admin" && actor.type !== "system") throw new Forbidden("Only the network can do this");
}

/** The publisher a publisher actor acts for; anyone else is refused. */
export function publisherOf(actor: Actor): string {
  if (actor.type !== "publisher") throw new Forbidden("Only a publisher can do this");
  return actor.publisherId;
}

/** The brand a brand actor acts for; anyone else is refused. */
export function brandOf(actor: Actor): string {
  if (actor.type !== "brand") throw new Forbidden("Only a brand can do this");
  return actor.brandId;
}
