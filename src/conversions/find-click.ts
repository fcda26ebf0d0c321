import { eq } from "drizzle-orm";
import type { ClickForAttribution } from "../attribution/attribute";
import type { AppContext } from "../context";
import { clicks } from "../db/schema";
import { UUID_RE } from "../shared/ids";

/** What a conversion needs of its click: attribution inputs, the ref code and sub-ids. */
export interface ConversionClick extends ClickForAttribution {
  refCode: string | null;
  sub1: string | null; sub2: string | null; sub3: string | null; sub4: string | null; sub5: string | null;
  /** Set on smart-link clicks: which link, and the rubric version (its flat commission) it was routed under. */
  smartLinkId: string | null; rubricVersion: number | null;
}

const COLUMNS = {
  id: clicks.id, programId: clicks.programId, publisherId: clicks.publisherId, createdAt: clicks.createdAt, isBot: clicks.isBot,
  refCode: clicks.refCode, sub1: clicks.sub1, sub2: clicks.sub2, sub3: clicks.sub3, sub4: clicks.sub4, sub5: clicks.sub5,
  smartLinkId: clicks.smartLinkId, rubricVersion: clicks.rubricVersion,
};

/** The click a brand refers to: still in the write buffer, or stored. */
export async function findClick(ctx: Pick<AppContext, "db" | "clicks" | "localReads" | "serverReads">, clickRef: string | null): Promise<ConversionClick | null> {
  if (!clickRef || !UUID_RE.test(clickRef)) return null;
  const id = clickRef.toLowerCase();
  const buffered = ctx.clicks.get(id);
  if (buffered) return buffered;
  if (ctx.localReads) return ctx.localReads.click(id);
  if (ctx.serverReads) return ctx.serverReads.click(id);
  const [row] = await ctx.db.select(COLUMNS).from(clicks).where(eq(clicks.id, id));
  return row ?? null;
}
