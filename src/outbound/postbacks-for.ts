import { desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Actor } from "../auth/authenticate";
import { publisherOf } from "../auth/party-scope";
import type { AppContext } from "../context";
import { publisherPostbacks, publishers } from "../db/schema";
import { NotFound } from "../shared/errors";
import type { createPostbackBody, listAttemptsQuery } from "./bodies";
import { createPostback } from "./create-postback";
import { listAttempts, listPostbacks } from "./list-postbacks";
import { updatePostback } from "./update-postback";

/**
 * Publisher postbacks as an actor may handle them: the network every
 * publisher's, a publisher user only its own (another's endpoint id is a 404,
 * as if it did not exist). A brand never sees them.
 */
export async function listPostbacksFor(ctx: AppContext, actor: Actor) {
  const own = publisherOf(actor);
  const owners = own
    ? [{ id: own, name: (await ctx.db.select({ name: publishers.name }).from(publishers).where(eq(publishers.id, own)))[0]?.name ?? "" }]
    : await ctx.db.selectDistinct({ id: publishers.id, name: publishers.name }).from(publisherPostbacks)
      .innerJoin(publishers, eq(publishers.id, publisherPostbacks.publisherId)).orderBy(desc(publishers.id));
  const lists = await Promise.all(owners.map(async (p) => (await listPostbacks(ctx, p.id)).map((e) => ({ ...e, publisher_name: p.name }))));
  return lists.flat();
}

/** The publisher an endpoint belongs to, if the actor may see it. */
async function ownerOf(ctx: AppContext, actor: Actor, endpointId: string): Promise<string> {
  const own = publisherOf(actor);
  if (own) return own;
  const [row] = await ctx.db.select({ publisherId: publisherPostbacks.publisherId }).from(publisherPostbacks).where(eq(publisherPostbacks.id, endpointId));
  if (!row) throw new NotFound("Postback endpoint not found");
  return row.publisherId;
}

/** One endpoint with a page of its delivery attempts. */
export async function getPostbackFor(ctx: AppContext, actor: Actor, endpointId: string, q: z.infer<typeof listAttemptsQuery>) {
  const publisherId = await ownerOf(ctx, actor, endpointId);
  const attempts = await listAttempts(ctx, publisherId, endpointId, q); // 404 when not this publisher's
  const endpoint = (await listPostbacks(ctx, publisherId)).find((e) => e.id === endpointId);
  if (!endpoint) throw new NotFound("Postback endpoint not found");
  return { endpoint, attempts };
}

export async function createPostbackFor(ctx: AppContext, actor: Actor, b: z.infer<typeof createPostbackBody>, publisherId?: string) {
  const owner = publisherOf(actor, publisherId);
  if (!owner) throw new NotFound("Publisher not found");
  return createPostback(ctx, actor, owner, b);
}

/** Pause or resume (resuming resets the failure count and sends what was held). */
export async function setPostbackStatusFor(ctx: AppContext, actor: Actor, endpointId: string, status: "active" | "paused") {
  const publisherId = await ownerOf(ctx, actor, endpointId);
  return updatePostback(ctx, actor, publisherId, endpointId, { status });
}
