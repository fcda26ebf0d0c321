import { Cron } from "croner";
import type { AppContext } from "../context";
import { JOBS, type Job } from "./jobs";

/**
 * Starts every job on its schedule (no overlapping runs of one job) and runs
 * each once at start, so a process that was down catches up.
 */
export function startScheduler(ctx: AppContext, jobs: Job[] = JOBS): { stop(): Promise<void> } {
  const running = new Set<Promise<void>>();
  const run = (job: Job) => {
    const p = runOnce(job).finally(() => running.delete(p));
    running.add(p);
    return p;
  };
  const runOnce = async (job: Job) => {
    try {
      const r = await job.run(ctx);
      if (r.done || r.failures) console.log(`[job ${job.name}] done=${r.done} alreadyDone=${r.alreadyDone} failures=${r.failures}`);
    } catch (e) {
      console.error(`[job ${job.name}] failed:`, e);
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
  };
}
