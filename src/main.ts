import { buildApp } from "./app";
import { boot } from "./boot";
import type { Config } from "./config";
import type { AppContext } from "./context";
import { mintFirstAdminToken } from "./admin/admin-tokens";
import { anyUser } from "./auth/users/list-users";
import { startScheduler } from "./scheduler/runner";
import { wakeOnConversions } from "./outbound/wake";
import { trackingBunRoutes } from "./tracking/routes";
import { smartLinkBunRoutes } from "./smartlinks/routes";
import { localFilePath } from "./tracking/click-writer";
import { closeLiveStreams } from "./console/live";

export interface Running { ctx: AppContext; url: string; port: number; stop(): Promise<void> }

/**
 * Composition root: config -> db -> migrate -> app -> scheduler -> listen.
 * SIGTERM/SIGINT: stop the scheduler, stop accepting, flush every buffered
 * click, close the database, exit.
 */
export async function serve(config: Config, opts: { beforeListen?: (ctx: AppContext) => Promise<void>; handleSignals?: boolean } = {}): Promise<Running> {
  const { loadGeoBytes } = await import("./geo-data.bun");
  const geoBytes = await loadGeoBytes();
  const { ctx, database } = await boot(config, { geoBytes });
  await opts.beforeListen?.(ctx); // e.g. demo seeding, which mints its own admin token
  const initialToken = await mintFirstAdminToken(ctx.db, ctx.clock.now());
  // Clicks are written by a Worker with its own connection: the request thread never waits on an INSERT or
  // fsync, and leaves the IP's keyed hash and country lookup to that thread too.
  const writer = await ctx.clicks.writeInWorker(config.DATABASE_URL, { geoBytes });
  if (!writer.ok && config.DATABASE_URL.startsWith("file:")) console.warn(`Click writes stay on the request thread: ${writer.reason}`);
  // Conversions, transitions and inbox rows commit on their own thread too, grouped while the disk syncs.
  const dbPath = localFilePath(config.DATABASE_URL);
  if (dbPath) {
    const committer = await ctx.writes.useThread(dbPath);
    if (!committer.ok) console.warn(`Postback commits stay on the request thread: ${committer.reason}`);
  }
  const app = buildApp(ctx);
  // Our own Bun.serve rather than app.listen(): the tracking routes are Bun routes answered without
  // the framework (the hot path); everything else goes through the Elysia app as before.
  const server = Bun.serve({
    port: config.PORT, hostname: config.HOST, maxRequestBodySize: config.MAX_BODY_BYTES * 16,
    idleTimeout: 30, reusePort: true, // what app.listen() used
    routes: { ...trackingBunRoutes(ctx), ...smartLinkBunRoutes(ctx) },
    fetch: (request) => app.handle(request), // routes on the path alone (app.ts)
    error(e) {
      console.error("unhandled error", e);
      return new Response(JSON.stringify({ error: { code: "internal", message: "Internal error; it has been logged" } }),
        { status: 500, headers: { "content-type": "application/json; charset=utf-8" } });
    },
  });
  app.server = server; // Elysia handlers read the socket peer through it
  const port = server.port!;
  if (config.PUBLIC_URL_DERIVED) ctx.config.PUBLIC_URL = `http://localhost:${port}`;
  const scheduler = config.SCHEDULER ? startScheduler(ctx) : null;
  const outbound = config.SCHEDULER ? wakeOnConversions(ctx) : null; // publisher postbacks right after commit
  const db = config.DATABASE_URL.startsWith("file:") ? config.DATABASE_URL : config.DATABASE_URL.replace(/\/\/[^@/]*@/, "//***@");
  console.log(`Lastclick listening on http://${config.HOST}:${port} (public URL ${config.PUBLIC_URL}); database ${db}`);
  if (!(await anyUser(ctx))) {
    console.log(`No console users yet. Create the first admin and open the printed link to set a password:\n  lastclick user create --email you@example.com --role admin\nThen sign in at ${config.PUBLIC_URL}/login`);
  }
  if (initialToken) {
    console.log(`First start: created an admin API token (shown once):\n  ${initialToken}\nUse it as "Authorization: Bearer <token>" on ${config.PUBLIC_URL}/api/admin/... — see ${config.PUBLIC_URL}/api/openapi.json`);
  }

  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= (async () => {
    closeLiveStreams(); // an open event stream would keep server.stop() waiting
    await server.stop();
    await scheduler?.stop();
    await outbound?.stop(); // in-flight postback attempts record their outcome
    await ctx.clicks.close();
    await ctx.writes.close();
    database.close();
  })());
  if (opts.handleSignals !== false) {
    for (const sig of ["SIGTERM", "SIGINT"] as const) {
      process.once(sig, () => {
        console.log(`${sig}: flushing ${ctx.clicks.size} buffered clicks and stopping`);
        void stop().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
      });
    }
  }
  return { ctx, url: `http://127.0.0.1:${port}`, port, stop };
}
