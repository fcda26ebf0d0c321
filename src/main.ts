import type { App } from "./app";
import { boot } from "./boot";
import type { Config } from "./config";
import type { AppContext } from "./context";
import { startAppliance, stopOnSignals } from "./lifecycle";
import { trackingBunRoutes } from "./tracking/routes";
import { smartLinkBunRoutes } from "./smartlinks/routes";
import { isServerUrl, localFilePath } from "./tracking/click-writer";
import { instrumentBunRoutes } from "./ops/http";
import { configureLog, logError } from "./ops/log";

export interface Running { ctx: AppContext; url: string; port: number; stop(): Promise<void> }

/**
 * Composition root on Bun: config -> db -> migrate -> writer threads, then
 * the shared lifecycle (lifecycle.ts: app -> listen -> scheduler, and the
 * one stop order on SIGTERM/SIGINT).
 */
export async function serve(config: Config, opts: { beforeListen?: (ctx: AppContext) => Promise<void>; handleSignals?: boolean } = {}): Promise<Running> {
  configureLog({ format: config.LOG_FORMAT, requests: config.LOG_REQUESTS });
  const { loadGeoBytes } = await import("./geo-data.bun");
  const geoBytes = await loadGeoBytes();
  const { ctx, database } = await boot(config, { geoBytes });
  await opts.beforeListen?.(ctx); // e.g. demo seeding, which mints its own admin token
  // Clicks are written by a Worker with its own connection: the request thread never waits on an INSERT or
  // fsync, and leaves the IP's keyed hash and country lookup to that thread too.
  // On a libSQL server the thread has its own client: the request thread leaves it the HTTP round trips too.
  const writer = await ctx.clicks.writeInWorker(config.DATABASE_URL, { geoBytes, authToken: config.DATABASE_AUTH_TOKEN });
  if (!writer.ok && (config.DATABASE_URL.startsWith("file:") || isServerUrl(config.DATABASE_URL))) console.warn(`Click writes stay on the request thread: ${writer.reason}`);
  // Conversions, transitions and inbox rows commit on their own thread too, grouped while the disk syncs.
  const dbPath = localFilePath(config.DATABASE_URL);
  if (dbPath) {
    const committer = await ctx.writes.useThread(dbPath);
    if (!committer.ok) console.warn(`Postback commits stay on the request thread: ${committer.reason}`);
  }
  // Our own Bun.serve rather than app.listen(): the tracking routes are Bun routes answered without
  // the framework (the hot path); everything else goes through the Elysia app.
  const listen = (app: App) => {
    const server = Bun.serve({
      port: config.PORT, hostname: config.HOST, maxRequestBodySize: config.MAX_BODY_BYTES * 16,
      // No reusePort (app.listen()'s default): with it a second server on this port would start and the
      // kernel would split requests between two databases. Without it the second start is refused (lifecycle.ts).
      idleTimeout: 30,
      routes: instrumentBunRoutes({ ...trackingBunRoutes(ctx), ...smartLinkBunRoutes(ctx) }),
      fetch: (request) => app.handle(request), // routes on the path alone (app.ts)
      error(e) {
        const id = logError("unhandled error", e);
        return new Response(JSON.stringify({ error: { code: "internal", message: `Internal error; it has been logged with id ${id}`, id } }),
          { status: 500, headers: { "content-type": "application/json; charset=utf-8" } });
      },
    });
    app.server = server; // Elysia handlers read the socket peer through it
    return { port: server.port!, stop: () => server.stop() };
  };
  const { port, stop } = await startAppliance(ctx, database, config, {
    runtime: "Bun", listen,
    stoppable: (stop) => { if (opts.handleSignals !== false) stopOnSignals(ctx, stop, (sig, h) => process.once(sig, h), (code) => process.exit(code)); },
  });
  return { ctx, url: `http://127.0.0.1:${port}`, port, stop };
}
