import type { Actor } from "./authenticate";
import { Forbidden, NotFound } from "../shared/errors";

/**
 * Whose brand-owned rows (API keys, integrations) an actor acts on. An admin
 * names the brand; a brand user always acts on its own brand, and naming
 * another one is answered as if it did not exist (no hint that it does).
 */
export function brandOf(actor: Actor, requested?: string | null): string | null {
  if (actor.type === "admin" || actor.type === "system") return requested ?? null;
  if (actor.type === "brand") {
    if (requested && requested !== actor.brandId) throw new NotFound("Not found");
    return actor.brandId;
  }
  throw new Forbidden("Only the network and the brand itself may see this");
}

/** Whose publisher-owned rows (postbacks, smart links) an actor acts on; the same rule as brandOf. */
export function publisherOf(actor: Actor, requested?: string | null): string | null {
  if (actor.type === "admin" || actor.type === "system") return requested ?? null;
  if (actor.type === "publisher") {
    if (requested && requested !== actor.publisherId) throw new NotFound("Not found");
    return actor.publisherId;
  }
  throw new Forbidden("Only the network and the publisher itself may see this");
}

/** Network-only reads and writes (the inbox, admin tokens, the rubric). */
export function requireAdmin(actor: Actor): void {
  if (actor.type !== "admin" && actor.type !== "system") throw new Forbidden("Only the network may do this");
}
