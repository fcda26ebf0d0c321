import { and, eq } from "drizzle-orm";
import { getPublisherRow } from "../network/publishers";
import type { AppContext } from "../context";
import { publisherPostbacks } from "../db/schema";
import { NotFound } from "../shared/errors";
import type { EndpointRow } from "./serialize";

/** The publisher's endpoint; 404 when the publisher or the endpoint (of that publisher) is unknown. */
export async function getEndpointRow(ctx: AppContext, publisherId: string, endpointId: string): Promise<EndpointRow> {
  await getPublisherRow(ctx, publisherId);
  const [row] = await ctx.db.select().from(publisherPostbacks)
    .where(and(eq(publisherPostbacks.id, endpointId), eq(publisherPostbacks.publisherId, publisherId)));
  if (!row) throw new NotFound("Postback endpoint not found");
  return row;
}
