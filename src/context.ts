import type { Client } from "@libsql/client";
import type { Config } from "./config";
import type { Db } from "./db/client";
import type { WriteQueue } from "./db/write-queue";
import type { LocalReads } from "./db/local-reads";
import type { ConversionHook } from "./conversions/conversion-hooks";
import type { ServerReads } from "./db/server-reads";
import type { Clock } from "./shared/clock";
import type { SecretBox } from "./shared/secret-box";
import type { TtlCache } from "./shared/ttl-cache";
import type { brandApiKeys, integrations, programs } from "./db/schema";
import type { EventBus } from "./shared/event-bus";
import type { IntakeState } from "./integrations/intake-state";
import type { ChangeFeed } from "./changes/feed";
import type { ClickBuffer } from "./tracking/click-buffer";
import type { SseStream } from "./console/sse";
import type { ProxyMatcher } from "./tracking/client-ip";
import type { CountryLookup } from "./tracking/geo";
import type { LinkResolver } from "./tracking/link-resolver";
import type { SmartRouter } from "./smartlinks/router";
import type { IpSalts } from "./tracking/ip-salts";

/** Everything a domain verb may use; built once in main.ts (or a test helper). */
export interface AppContext {
  config: Config;
  db: Db;
  /** Group commit for the money path (conversions, transitions, inbox). */
  writes: WriteQueue;
  /** Kept-prepared point reads on an embedded file (null for a libSQL server). */
  localReads: LocalReads | null;
  /** On a libSQL server: the click lookups of concurrent postbacks coalesced into one query (src/db/server-reads.ts). */
  serverReads?: ServerReads;
  client: Client;
  clock: Clock;
  links: LinkResolver;
  /** Smart-link routing: rubric, scores and each link's ranked programs, precomputed in memory. */
  smart: SmartRouter;
  clicks: ClickBuffer;
  /** This appliance's open live (SSE) streams (console/live.ts): closed first on stop, none opened after. */
  live?: { closing: boolean; closeAll(): Promise<void> | void; add(s: SseStream): void; delete(s: SseStream): void };
  events: EventBus;
  /** Daily IP-hash salts (sealed in the database, past days deleted). */
  ipSalts: IpSalts;
  /** The cross-instance change feed: cache invalidation and live-page events (src/changes/feed.ts). */
  changes: ChangeFeed;
  geo: CountryLookup;
  trustedProxies: ProxyMatcher;
  /** Seals secrets that must be read back (HMAC keys); key kept outside the database. */
  secrets: SecretBox;
  /** Modules that write in the same transaction as a conversion change (ledger, outbox). */
  conversionHooks: ConversionHook[];
  /** Intake rate limits, flood sampling and the inbox size watch (in memory). */
  intake: IntakeState;
  /** Rows read on every postback; cleared by the writes that change them. */
  caches: {
    brandKeys: TtlCache<typeof brandApiKeys.$inferSelect | null>;
    programs: TtlCache<typeof programs.$inferSelect | null>;
    /** Integrations per provider, for webhook discovery. */
    integrations: TtlCache<(typeof integrations.$inferSelect)[]>;
  };
}
