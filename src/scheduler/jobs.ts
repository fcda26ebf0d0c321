import { autoApproveDue } from "../conversions/review";
import type { AppContext } from "../context";
import { pruneInbox } from "../integrations/inbox";
import { deliverDue } from "../outbound/dispatch";
import { closeDuePeriods } from "../settlement/close-due";
import { deliverMail } from "../mail/deliver";
import { pruneChanges } from "../changes/prune-changes";
import { reattributeLate } from "../conversions/reattribute-late";

export interface JobResult { done: number; alreadyDone: number; skipped?: number; failures: number }
export interface Job {
  name: string;
  /** cron pattern, network timezone */
  schedule: string;
  run(ctx: AppContext): Promise<JobResult>;
  /** false: several instances may run it at once (it claims its own rows); otherwise one at a time under a lease row. */
  lease?: false;
}

/** Every schedule the appliance runs, in one list. Each job is safe to re-run and to catch up. */
export const JOBS: Job[] = [
  { name: "auto-approve", schedule: "*/5 * * * *", run: (ctx) => autoApproveDue(ctx) },
  { name: "inbox-retention", schedule: "17 3 * * *", run: (ctx) => pruneInbox(ctx) },
  // Daily IP-hash salts: tomorrow's made ahead, past days' deleted (a few minutes into the day, so a click
  // accepted just before midnight is still hashed with its own day's salt).
  { name: "ip-salt-rotation", schedule: "5 * * * *", run: (ctx) => ctx.ipSalts.rotate() },
  // Publisher postbacks: due deliveries and retries, every second (main.ts also wakes it right after a commit).
  // Each delivery is claimed with a conditional update, so instances share the work without a lease.
  { name: "outbound-postbacks", schedule: "* * * * * *", run: (ctx) => deliverDue(ctx), lease: false },
  // The monthly close on the 1st, 00:05 network time; at start it catches up any ended month not yet closed.
  { name: "monthly-close", schedule: "5 0 1 * *", run: (ctx) => closeDuePeriods(ctx) },
  // Invoices and statements by mail (only with SMTP_URL), retried with backoff.
  { name: "mail-outbox", schedule: "*/10 * * * * *", run: (ctx) => deliverMail(ctx) },
  // Conversions whose click was still in another instance's buffer: look again once it has flushed.
  { name: "late-attribution", schedule: "* * * * * *", run: (ctx) => reattributeLate(ctx) },
  { name: "change-feed-retention", schedule: "23 * * * *", run: (ctx) => pruneChanges(ctx) },
];
