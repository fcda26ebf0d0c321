import { Cron } from "croner";
import type { AppContext } from "../context";
import { JOBS, type Job } from "./jobs";
import { logError, logInfo } from "../ops/log";
import { countJobRun } from "../ops/metrics";
import { newHolderId, releaseLease, takeLease } from "./lease";

/** A run longer than this loses its lease (another instance may then start one). */
export const LEASE_TTL_MS = 15 * 60_000;

/**
 * Starts every job on its schedule (no overlapping runs of one job) and runs
 * each once at start, so a process that was down catches up. A job with a
 * lease runs on one instance at a time: the holder of the job_leases row.
 */
export function startScheduler(ctx: AppContext, jobs: Job[] = JOBS, holder = newHolderId()): { stop(): Promise<void>; runNow(name: string): Promise<void> } {
  const running = new Set<Promise<void>>();
  const run = (job: Job) => {
    const p = runOnce(job).finally(() => running.delete(p));
    running.add(p);
    return p;
  };
  const runOnce = async (job: Job) => {
    const t0 = performance.now();
    try {
      if (job.lease !== false && !(await takeLease(ctx.client, job.name, holder, Date.now(), LEASE_TTL_MS))) return;
      try {
        const r = await job.run(ctx);
        countJobRun(job.name, r.failures ? "failed" : "ok");
        // One line per run that did or tried something; idle runs (every second for deliveries) are only counted.
        if (r.done || r.failures || r.skipped) logInfo("job", { job: job.name, done: r.done, alreadyDone: r.alreadyDone, skipped: r.skipped ?? 0, failures: r.failures, ms: Math.round(performance.now() - t0) });
      } finally {
        if (job.lease !== false) await releaseLease(ctx.client, job.name, holder);
      }
    } catch (e) {
      countJobRun(job.name, "failed");
      logError("job failed", e, { job: job.name, ms: Math.round(performance.now() - t0) });
    }
  };
  const crons = jobs.map((job) => new Cron(job.schedule, { timezone: ctx.config.NETWORK_TIMEZONE, protect: true }, () => run(job)));
  for (const job of jobs) void run(job);
  return {
    /** Stops the schedules and waits for runs in progress (a delivery records its outcome). */
    async stop() {
      crons.forEach((c) => c.stop());
      await Promise.all([...running]);
    },
    /** Runs one job now (as its schedule would): for tests and the console. */
    runNow(name: string) {
      const job = jobs.find((j) => j.name === name);
      if (!job) return Promise.reject(new Error(`No job ${name}`));
      return run(job);
    },
  };
}
