import { dirname } from "node:path";
import type { Config } from "./config";
import { newIntakeState } from "./integrations/intake-state";
import type { AppContext } from "./context";
import { openDatabase, type Database } from "./db/client";
import { migrate } from "./db/migrate";
import { databaseUnavailable } from "./ops/startup-errors";
import { WriteQueue } from "./db/write-queue";
import { LocalReads } from "./db/local-reads";
import { ServerReads } from "./db/server-reads";
import { localFilePath } from "./tracking/click-writer";
import { recoverSpilledClicks } from "./tracking/click-spill";
import { systemClock, type Clock } from "./shared/clock";
import { EventBus } from "./shared/event-bus";
import { referralLedgerWrites } from "./ledger/referral-writer";
import { outboxWriter } from "./outbound/outbox-writer";
import { settlementAdjustmentWrites } from "./settlement/adjustment-writer";
import { SecretBox } from "./shared/secret-box";
import { TtlCache } from "./shared/ttl-cache";
import { checkKeyFingerprint, keySource, loadSecretsKey } from "./shared/secrets-key";
import { ChangeFeed, changeFeedWriter, reactToChanges } from "./changes";
import { pendingAttributionWriter } from "./conversions/reattribute-late";
import { ClickBuffer } from "./tracking/click-buffer";
import { proxyMatcher } from "./tracking/client-ip";
import { CountryLookup } from "./tracking/geo";
import { IpSalts } from "./tracking/ip-salts";
import { LinkResolver } from "./tracking/link-resolver";
import { SmartRouter } from "./smartlinks/router";

export interface BootOptions {
  clock?: Clock;
  /** Country database bytes; the Bun entry embeds DB-IP, tests may pass null. */
  geoBytes?: Uint8Array | null;
}

/**
 * The key that seals read-back secrets: SECRETS_KEY, else a file created once
 * beside the embedded database (or under ./data for a server URL), mode 0600.
 */
/** The folder beside the embedded database (or ./data for a server URL) for the appliance's own files. */
function dataDir(config: Config): string {
  const dbPath = config.DATABASE_URL.startsWith("file:") ? config.DATABASE_URL.slice(5).split("?")[0]! : "";
  return dbPath && dbPath !== ":memory:" ? dirname(dbPath) : "./data";
}


/** config -> open + migrate database -> context with click buffer and caches. */
export async function boot(config: Config, opts: BootOptions = {}): Promise<{ ctx: AppContext; database: Database }> {
  const secretsKey = loadSecretsKey(config, dataDir(config)); // before touching the database: a server URL needs a shared key
  const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN).catch((e) => { throw databaseUnavailable(config.DATABASE_URL, e); });
  await migrate(database.client).catch((e) => { database.close(); throw databaseUnavailable(config.DATABASE_URL, e); });
  try {
    await checkKeyFingerprint(database, secretsKey, keySource(config, dataDir(config)));
  } catch (e) {
    database.close();
    throw e;
  }
  const recovered = await recoverSpilledClicks(database.client, dataDir(config));
  if (recovered) console.log(`Wrote ${recovered} clicks saved by an earlier stop that could not reach the database`);
  const clock = opts.clock ?? systemClock;
  const secrets = new SecretBox(secretsKey);
  const geo = new CountryLookup(opts.geoBytes ?? null);
  const ipSalts = new IpSalts(database.db, secrets, clock);
  await ipSalts.rotate(); // today's and tomorrow's salts ready, earlier days' deleted
  const ctx: AppContext = {
    config,
    db: database.db,
    // The wait is capped below a commit's time on a server; a file's commits (on their own thread) never wait.
    writes: new WriteQueue(database.client, { lingerMs: database.isFile ? 0 : 4 }),
    localReads: null,
    client: database.client,
    clock,
    links: new LinkResolver(database.db),
    smart: new SmartRouter(database.db),
    clicks: new ClickBuffer(database.client, {
      flushMs: config.CLICK_FLUSH_MS, batchSize: config.CLICK_BATCH_SIZE, maxUnwritten: config.CLICK_MAX_UNWRITTEN,
      onError: (e) => console.error("click flush failed; will retry:", e instanceof Error ? e.message : e),
      spillDir: dataDir(config), ipWork: { salts: ipSalts, geo },
    }),
    events: new EventBus(),
    changes: new ChangeFeed(database.db),
    ipSalts,
    geo,
    trustedProxies: proxyMatcher(config.TRUSTED_PROXIES),
    secrets,
    conversionHooks: [referralLedgerWrites, outboxWriter, settlementAdjustmentWrites, changeFeedWriter, pendingAttributionWriter],
    intake: newIntakeState(config),
    caches: { brandKeys: new TtlCache(10_000), programs: new TtlCache(10_000), integrations: new TtlCache(10_000) },
  };
  // Programs, approvals and publishers change through writes that invalidate the link map: routing follows them.
  ctx.links.onInvalidate(() => ctx.smart.invalidate());
  reactToChanges(ctx);
  await ctx.changes.start();
  const closeDb = database.close;
  database.close = () => { void ctx.changes.stop(); closeDb(); };
  const path = localFilePath(config.DATABASE_URL);
  if (path) {
    const reads = new LocalReads(path);
    ctx.localReads = reads;
    const close = database.close;
    database.close = () => { reads.close(); close(); };
  } else if (!database.isFile) {
    ctx.serverReads = new ServerReads(database.client);
  }
  return { ctx, database };
}
