import type { Client } from "@libsql/client";
import type { Config } from "./config";
import type { Db } from "./db/client";
import type { Clock } from "./shared/clock";
import type { EventBus } from "./shared/event-bus";
import type { ClickBuffer } from "./tracking/click-buffer";
import type { ProxyMatcher } from "./tracking/client-ip";
import type { CountryLookup } from "./tracking/geo";
import type { LinkResolver } from "./tracking/link-resolver";

/** Everything a domain verb may use; built once in main.ts (or a test helper). */
export interface AppContext {
  config: Config;
  db: Db;
  client: Client;
  clock: Clock;
  links: LinkResolver;
  clicks: ClickBuffer;
  events: EventBus;
  ipHashSecret: string;
  geo: CountryLookup;
  trustedProxies: ProxyMatcher;
}
