import { buildApp, type App } from "./app";
import type { Config } from "./config";
import type { AppContext } from "./context";
import type { Database } from "./db/client";
import { mintFirstAdminToken } from "./network/admin-tokens";
import { anyUser } from "./auth/users/list-users";
import { startScheduler } from "./scheduler/runner";
import { wakeOnConversions } from "./outbound/wake";
import { flushLog, logError } from "./ops/log";
import { StartupError } from "./ops/startup-errors";

/**
 * A stop ends within this time even when the database server is down: each
 * step gets what is left of it, clicks that cannot be written are saved to the
 * spill file, and a step that overruns is logged and left behind. Below the
 * 10 s that orchestrators wait before SIGKILL (the README and the Dockerfile ask for 30 s: --stop-timeout 30).
 */
export const STOP_DEADLINE_MS = 8_000;

/** What a runtime's HTTP server gives back once it listens. */
export interface Listening { port: number; stop(): Promise<void> }

export interface Started { port: number; stop(): Promise<void> }

/**
 * The one start and stop order of the appliance, shared by the Bun entry
 * (main.ts) and the Deno entry (deno.ts) so the two cannot drift:
 *
 *   start: app -> listen -> first admin token -> scheduler -> outbound -> signal handlers -> announce
 *   stop:  scheduler -> live streams -> stop accepting -> outbound -> clicks -> writes -> change feed -> database
 *
 * Listening comes before the first admin token so that a start refused for a
 * busy port does not mint a token nobody was shown.
 *
 * Why this stop order: jobs end first so nothing new is queued; live streams
 * are closed (and refused from then on) so the server's stop does not wait on
 * them; in-flight postback attempts record their outcome; then every
 * accepted click is written, then queued money-path commits, and only then
 * is the database closed.
 */
export async function startAppliance(
  ctx: AppContext, database: Database, config: Config,
  opts: {
    runtime: string; listen: (app: App) => Listening | Promise<Listening>;
    /** Called with `stop` before "listening" is announced, so signal handlers are in place by the time anyone can see it. */
    stoppable?: (stop: () => Promise<void>) => void;
  },
): Promise<Started> {
  const app = buildApp(ctx);
  let server: Listening;
  try {
    server = await opts.listen(app);
  } catch (e) {
    if (!addressInUse(e)) throw e;
    await ctx.clicks.close().catch(() => {}); // nothing accepted yet: ends the writer threads
    await ctx.writes.close().catch(() => {});
    await ctx.changes.stop().catch(() => {});
    database.close();
    throw new StartupError(`Port ${config.PORT} on ${config.HOST} is already in use (another Lastclick, or another program, listens there): stop it or set PORT.`);
  }
  const initialToken = await mintFirstAdminToken(ctx.db, ctx.clock.now());
  if (config.PUBLIC_URL_DERIVED) ctx.config.PUBLIC_URL = `http://localhost:${server.port}`;
  const scheduler = config.SCHEDULER ? startScheduler(ctx) : null;
  const outbound = config.SCHEDULER ? wakeOnConversions(ctx) : null; // publisher postbacks right after commit

  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= (async () => {
    const deadline = Date.now() + STOP_DEADLINE_MS;
    const failures: unknown[] = [];
    // Each step is bounded by its share of the deadline (at least `floor` ms); one that fails or overruns is logged and the stop goes on.
    const step = async (name: string, share: number, floor: number, run: () => unknown) => {
      const ms = Math.max(floor, Math.min(share, deadline - Date.now()));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const overrun = new Promise<"overrun">((r) => { timer = setTimeout(() => r("overrun"), ms); });
      try {
        if ((await Promise.race([Promise.resolve().then(run), overrun])) === "overrun") failures.push(new Error(`stop: ${name} did not finish within ${ms} ms; left behind`));
      } catch (e) {
        failures.push(e);
      } finally {
        clearTimeout(timer);
      }
    };
    await step("scheduler", 1_500, 200, () => scheduler?.stop());
    // Before the server: an open event stream would keep its stop waiting.
    await step("live streams", 500, 100, () => ctx.live?.closeAll());
    await step("stop accepting", 1_000, 200, () => server.stop());
    await step("outbound", 1_500, 200, () => outbound?.stop()); // in-flight postback attempts record their outcome
    // Every buffered click is written, retried until 1.5 s before the deadline, then saved to the spill file.
    await step("clicks", STOP_DEADLINE_MS, 1_000, () => ctx.clicks.close({ giveUpAt: deadline - 1_500 }));
    await step("writes", 1_000, 300, () => ctx.writes.close());
    await step("change feed", 300, 100, () => ctx.changes.stop()); // the poller, before its connection closes
    database.close();
    for (const e of failures.slice(0, -1)) logError("stop", e);
    flushLog();
    if (failures.length) throw failures[failures.length - 1];
  })());
  opts.stoppable?.(stop);
  await announce(ctx, config, opts.runtime, server.port, initialToken);
  return { port: server.port, stop };
}

async function announce(ctx: AppContext, config: Config, runtime: string, port: number, initialToken: string | null) {
  const db = config.DATABASE_URL.startsWith("file:") ? config.DATABASE_URL : config.DATABASE_URL.replace(/\/\/[^@/]*@/, "//***@");
  console.log(`Lastclick${runtime === "Bun" ? "" : ` (${runtime})`} listening on http://${config.HOST}:${port} (public URL ${config.PUBLIC_URL}); database ${db}`);
  if (!(await anyUser(ctx))) {
    console.log(`No console users yet. Create the first admin and open the printed link to set a password:\n  lastclick user create --email you@example.com --role admin\nThen sign in at ${config.PUBLIC_URL}/login`);
  }
  if (initialToken) {
    console.log(`First start: created an admin API token (shown once):\n  ${initialToken}\nUse it as "Authorization: Bearer <token>" on ${config.PUBLIC_URL}/api/admin/... — see ${config.PUBLIC_URL}/api/openapi.json`);
  }
}

/** Bun: code EADDRINUSE; Deno: Deno.errors.AddrInUse. */
function addressInUse(e: unknown): boolean {
  return e instanceof Error && ((e as { code?: string }).code === "EADDRINUSE" || e.name === "AddrInUse");
}

/** SIGTERM/SIGINT: one stop, then exit 0 (or 1 when the stop failed). */
export function stopOnSignals(ctx: AppContext, stop: () => Promise<void>, on: (sig: "SIGTERM" | "SIGINT", handler: () => void) => void, exit: (code: number) => void) {
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    on(sig, () => {
      console.log(`${sig}: flushing ${ctx.clicks.size} buffered clicks and stopping`);
      // Backstop: every step is bounded, but a stop never outlives its deadline by more than a moment.
      setTimeout(() => { logError("stop failed", new Error(`stop did not finish within ${STOP_DEADLINE_MS} ms; exiting`)); flushLog(); exit(1); }, STOP_DEADLINE_MS + 1_500);
      stop().then(() => exit(0), (e) => { logError("stop failed", e); flushLog(); exit(1); });
    });
  }
}
