import { dirname } from "node:path";
import { eq } from "drizzle-orm";
import type { Config } from "./config";
import type { AppContext } from "./context";
import { openDatabase, type Database } from "./db/client";
import { migrate } from "./db/migrate";
import { settings } from "./db/schema";
import { WriteQueue } from "./db/write-queue";
import { LocalReads } from "./db/local-reads";
import { localFilePath } from "./tracking/click-writer";
import { recoverSpilledClicks } from "./tracking/click-spill";
import { systemClock, type Clock } from "./shared/clock";
import { EventBus } from "./shared/event-bus";
import { referralLedgerWrites } from "./ledger/referral-writer";
import { outboxWriter } from "./outbound/outbox-writer";
import { randomToken } from "./shared/ids";
import { SecretBox } from "./shared/secret-box";
import { TtlCache } from "./shared/ttl-cache";
import { checkKeyFingerprint, keySource, loadSecretsKey } from "./shared/secrets-key";
import { ChangeFeed, changeFeedWriter, reactToChanges } from "./changes";
import { pendingAttributionWriter } from "./conversions/reattribute-late";
import { ClickBuffer } from "./tracking/click-buffer";
import { proxyMatcher } from "./tracking/client-ip";
import { CountryLookup } from "./tracking/geo";
import { LinkResolver } from "./tracking/link-resolver";

export interface BootOptions {
  clock?: Clock;
  /** Country database bytes; the Bun entry embeds DB-IP, tests may pass null. */
  geoBytes?: Uint8Array | null;
}

/**
 * The IP-hash key: from config if given, else generated once and persisted in
 * the database (insert-or-nothing, so two first starts agree on one key).
 */
async function ipHashSecret(db: Database, config: Config): Promise<string> {
  if (config.IP_HASH_SECRET) return config.IP_HASH_SECRET;
  await db.db.insert(settings).values({ key: "ip_hash_secret", value: randomToken(32) }).onConflictDoNothing();
  const [row] = await db.db.select().from(settings).where(eq(settings.key, "ip_hash_secret"));
  return row!.value;
}

/** The folder beside the embedded database (or ./data for a server URL) for the appliance's own files. */
function dataDir(config: Config): string {
  const dbPath = config.DATABASE_URL.startsWith("file:") ? config.DATABASE_URL.slice(5).split("?")[0]! : "";
  return dbPath && dbPath !== ":memory:" ? dirname(dbPath) : "./data";
}

/** config -> open + migrate database -> context with click buffer and caches. */
export async function boot(config: Config, opts: BootOptions = {}): Promise<{ ctx: AppContext; database: Database }> {
  const secretsKey = loadSecretsKey(config, dataDir(config)); // before touching the database: a server URL needs a shared key
  const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  await migrate(database.client);
  try {
    await checkKeyFingerprint(database, secretsKey, keySource(config, dataDir(config)));
  } catch (e) {
    database.close();
    throw e;
  }
  const recovered = await recoverSpilledClicks(database.client, dataDir(config));
  if (recovered) console.log(`Wrote ${recovered} clicks saved by an earlier stop that could not reach the database`);
  const ctx: AppContext = {
    config,
    db: database.db,
    writes: new WriteQueue(database.client),
    localReads: null,
    client: database.client,
    clock: opts.clock ?? systemClock,
    links: new LinkResolver(database.db),
    clicks: new ClickBuffer(database.client, {
      flushMs: config.CLICK_FLUSH_MS, batchSize: config.CLICK_BATCH_SIZE,
      onError: (e) => console.error("click flush failed; will retry:", e instanceof Error ? e.message : e),
      spillDir: dataDir(config),
    }),
    events: new EventBus(),
    changes: new ChangeFeed(database.db),
    ipHashSecret: await ipHashSecret(database, config),
    geo: new CountryLookup(opts.geoBytes ?? null),
    trustedProxies: proxyMatcher(config.TRUSTED_PROXIES),
    secrets: new SecretBox(secretsKey),
    conversionWriters: [referralLedgerWrites, outboxWriter, changeFeedWriter, pendingAttributionWriter],
    caches: { brandKeys: new TtlCache(10_000), programs: new TtlCache(10_000), integrations: new TtlCache(10_000) },
  };
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
  }
  return { ctx, database };
}
