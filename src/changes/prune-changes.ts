import { lt } from "drizzle-orm";
import type { AppContext } from "../context";
import { changes } from "../db/schema";
import type { JobResult } from "../scheduler/jobs";
const HOUR_MS = 3_600_000;

/**
 * Keeps CHANGES_RETENTION_HOURS of the feed: enough for any reconnecting live
 * page (older ones get feed.reset) and for an instance that was briefly stopped.
 */
export async function pruneChanges(ctx: AppContext): Promise<JobResult> {
  const cutoff = ctx.clock.now() - ctx.config.CHANGES_RETENTION_HOURS * HOUR_MS;
  const res = await ctx.db.delete(changes).where(lt(changes.at, cutoff));
  return { done: res.rowsAffected, alreadyDone: 0, failures: 0 };
}
