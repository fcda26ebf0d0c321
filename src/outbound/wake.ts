import type { AppContext } from "../context";
import { deliverDue, type DeliverOptions } from "./dispatch";

export interface Waker { stop(): Promise<void>; /** Resolves when no run is in flight. */ idle(): Promise<void> }

/**
 * Runs the dispatcher right after a credited conversion change commits, so
 * publishers hear within milliseconds, yet never inside the request: the
 * event bus calls us after commit and we only schedule. Runs coalesce (one at
 * a time, one more if woken meanwhile); the per-second scheduler job covers
 * retries and anything a wake-up missed.
 */
export function wakeOnConversions(ctx: AppContext, opts: DeliverOptions = {}): Waker {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = (): void => {
    if (stopped) return;
    if (running) { again = true; return; }
    running = (async () => {
      do {
        again = false;
        try {
          await deliverDue(ctx, opts);
        } catch (e) {
          console.error("[outbound] delivery run failed:", e instanceof Error ? e.message : e);
        }
      } while (again && !stopped);
    })().finally(() => { running = null; });
  };
  const unsubscribe = ctx.events.subscribe((e) => {
    if (e.publisherId) setTimeout(run, 0);
  });
  return {
    idle: async () => { while (running) await running; },
    async stop() {
      stopped = true;
      unsubscribe();
      while (running) await running; // let in-flight attempts record their outcome before the database closes
    },
  };
}
