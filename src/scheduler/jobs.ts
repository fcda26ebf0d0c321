import { autoApproveDue } from "../conversions/review";
import type { AppContext } from "../context";
import { pruneInbox } from "../integrations/inbox";
import { deliverDue } from "../outbound/dispatch";
import { pruneChanges } from "../changes/prune-changes";
import { reattributeLate } from "../conversions/reattribute-late";

export interface JobResult { done: number; alreadyDone: number; skipped?: number; failures: number }
export interface Job { name: string; /** cron pattern, network timezone */ schedule: string; run(ctx: AppContext): Promise<JobResult> }

/** Every schedule the appliance runs, in one list. Each job is safe to re-run and to catch up. */
export const JOBS: Job[] = [
  { name: "auto-approve", schedule: "*/5 * * * *", run: (ctx) => autoApproveDue(ctx) },
  { name: "inbox-retention", schedule: "17 3 * * *", run: (ctx) => pruneInbox(ctx) },
  // Publisher postbacks: due deliveries and retries, every second (main.ts also wakes it right after a commit).
  { name: "outbound-postbacks", schedule: "* * * * * *", run: (ctx) => deliverDue(ctx) },
  // Conversions whose click was still in another instance's buffer: look again once it has flushed.
  { name: "late-attribution", schedule: "* * * * * *", run: (ctx) => reattributeLate(ctx) },
  { name: "change-feed-retention", schedule: "23 * * * *", run: (ctx) => pruneChanges(ctx) },
];
