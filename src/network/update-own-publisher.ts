import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { publisherOf } from "./actor-scope";
import { getPublisherRow, serializePublisher, updatePublisher } from "./publishers";
import type { PayoutMethod } from "./payout-methods";

/** The signed-in publisher's own record (its payout details included: they are its own). */
export async function getOwnPublisher(ctx: AppContext, actor: Actor) {
  return serializePublisher(await getPublisherRow(ctx, publisherOf(actor)));
}

/**
 * A publisher edits its own contact details and payout method (validated per
 * method, audited by updatePublisher). Its status is not its to change.
 */
export async function updateOwnPublisher(ctx: AppContext, actor: Actor, b: { name?: string; email?: string; payout_method?: PayoutMethod | null; payout_details?: Record<string, unknown> | null }) {
  return updatePublisher(ctx, actor, publisherOf(actor), b);
}
