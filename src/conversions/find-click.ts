import { eq } from "drizzle-orm";
import type { ClickForAttribution } from "../attribution/attribute";
import type { AppContext } from "../context";
import { clicks } from "../db/schema";
import { UUID_RE } from "../shared/ids";

/** The click a brand refers to: still in the write buffer, or stored. */
export async function findClick(ctx: Pick<AppContext, "db" | "clicks">, clickRef: string | null): Promise<ClickForAttribution | null> {
  if (!clickRef || !UUID_RE.test(clickRef)) return null;
  const id = clickRef.toLowerCase();
  const buffered = ctx.clicks.get(id);
  if (buffered) return buffered;
  const [row] = await ctx.db
    .select({ id: clicks.id, programId: clicks.programId, publisherId: clicks.publisherId, createdAt: clicks.createdAt, isBot: clicks.isBot })
    .from(clicks).where(eq(clicks.id, id));
  return row ?? null;
}
