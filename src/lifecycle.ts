import { buildApp, type App } from "./app";
import type { Config } from "./config";
import type { AppContext } from "./context";
import type { Database } from "./db/client";
import { mintFirstAdminToken } from "./admin/admin-tokens";
import { anyUser } from "./auth/users/list-users";
import { startScheduler } from "./scheduler/runner";
import { wakeOnConversions } from "./outbound/wake";
import { flushLog, logError } from "./ops/log";

/** What a runtime's HTTP server gives back once it listens. */
export interface Listening { port: number; stop(): Promise<void> }

export interface Started { port: number; stop(): Promise<void> }

/**
 * The one start and stop order of the appliance, shared by the Bun entry
 * (main.ts) and the Deno entry (deno.ts) so the two cannot drift:
 *
 *   start: first admin token -> app -> listen -> scheduler -> outbound -> announce
 *   stop:  scheduler -> live streams -> stop accepting -> outbound -> clicks -> writes -> change feed -> database
 *
 * Why this stop order: jobs end first so nothing new is queued; live streams
 * are closed (and refused from then on) so the server's stop does not wait on
 * them; in-flight postback attempts record their outcome; then every
 * accepted click is written, then queued money-path commits, and only then
 * is the database closed.
 */
export async function startAppliance(
  ctx: AppContext, database: Database, config: Config,
  opts: { runtime: string; listen: (app: App) => Listening | Promise<Listening> },
): Promise<Started> {
  const initialToken = await mintFirstAdminToken(ctx.db, ctx.clock.now());
  const app = buildApp(ctx);
  const server = await opts.listen(app);
  if (config.PUBLIC_URL_DERIVED) ctx.config.PUBLIC_URL = `http://localhost:${server.port}`;
  const scheduler = config.SCHEDULER ? startScheduler(ctx) : null;
  const outbound = config.SCHEDULER ? wakeOnConversions(ctx) : null; // publisher postbacks right after commit
  await announce(ctx, config, opts.runtime, server.port, initialToken);

  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= (async () => {
    await scheduler?.stop();
    await ctx.live?.closeAll(); // before the server: an open event stream would keep its stop waiting
    await server.stop();
    await outbound?.stop(); // in-flight postback attempts record their outcome
    await ctx.clicks.close(); // writes every buffered click
    await ctx.writes.close();
    await ctx.changes.stop(); // the poller, before its connection closes
    database.close();
    flushLog();
  })());
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

/** SIGTERM/SIGINT: one stop, then exit 0 (or 1 when the stop failed). */
export function stopOnSignals(ctx: AppContext, stop: () => Promise<void>, on: (sig: "SIGTERM" | "SIGINT", handler: () => void) => void, exit: (code: number) => void) {
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    on(sig, () => {
      console.log(`${sig}: flushing ${ctx.clicks.size} buffered clicks and stopping`);
      stop().then(() => exit(0), (e) => { logError("stop failed", e); flushLog(); exit(1); });
    });
  }
}
