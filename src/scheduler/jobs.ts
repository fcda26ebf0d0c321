import { autoApproveDue } from "../conversions/review";
import type { AppContext } from "../context";
import { pruneInbox } from "../integrations/inbox";
import { deliverDue } from "../outbound/dispatch";

export interface JobResult { done: number; alreadyDone: number; skipped?: number; failures: number }
export interface Job { name: string; /** cron pattern, network timezone */ schedule: string; run(ctx: AppContext): Promise<JobResult> }

/** Every schedule the appliance runs, in one list. Each job is safe to re-run and to catch up. */
export const JOBS: Job[] = [
  { name: "auto-approve", schedule: "*/5 * * * *", run: (ctx) => autoApproveDue(ctx) },
  { name: "inbox-retention", schedule: "17 3 * * *", run: (ctx) => pruneInbox(ctx) },
  // Daily IP-hash salts: tomorrow's made ahead, past days' deleted (a few minutes into the day, so a click
  // accepted just before midnight is still hashed with its own day's salt).
  { name: "ip-salt-rotation", schedule: "5 * * * *", run: (ctx) => ctx.ipSalts.rotate() },
  // Publisher postbacks: due deliveries and retries, every second (main.ts also wakes it right after a commit).
  { name: "outbound-postbacks", schedule: "* * * * * *", run: (ctx) => deliverDue(ctx) },
];
