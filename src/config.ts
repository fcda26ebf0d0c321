import { z } from "zod";
import { ipOrCidr } from "./shared/validators";
import { isTimeZone } from "./shared/zoned-time";

/**
 * Configuration: read once from environment and flags (a flag `--public-url X`
 * is the same as PUBLIC_URL=X and wins over it), validated with zod and passed
 * down. Nothing else reads process.env.
 */
const csv = z.string().optional().transform((s) => (s ?? "").split(",").map((x) => x.trim()).filter(Boolean));
/** IPs and IPv4 CIDRs (the forms the proxy matcher understands). */
const ipList = csv.pipe(z.array(ipOrCidr));
const bool = (def: boolean) => z.enum(["on", "off", "true", "false", "1", "0"]).optional()
  .transform((v) => (v === undefined ? def : ["on", "true", "1"].includes(v)));

export const configSchema = z.object({
  DATABASE_URL: z.string().regex(/^(file:|libsql:|http:|https:|wss?:)/, "must be file:..., libsql://..., or http(s)://...").default("file:./data/lastclick.db"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  COOKIE_DOMAIN: z.string().regex(/^\.?[A-Za-z0-9.-]+$/, "must be a domain like .example.com").optional(),
  CLICK_PARAM: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ or - only").default("lc_click"),
  TRUSTED_PROXIES: ipList,
  SECRETS_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /** A file holding the secrets key (required, or SECRETS_KEY, on a libSQL server URL). */
  SECRETS_KEY_FILE: z.string().optional(),
  INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Size bound of the postback inbox beside its retention; the oldest rows go first. */
  INBOX_MAX_MB: z.coerce.number().int().min(1).max(1_000_000).default(256),
  /** Bytes kept of a request that failed authentication (accepted and authenticated ones are kept whole). */
  INBOX_EXCERPT_BYTES: z.coerce.number().int().min(0).max(65_536).default(1024),
  /** Unauthenticated rejections kept one by one per source, reason and minute; the rest are counted on one sample row. */
  INBOX_SAMPLES_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Per-source token bucket on the intake endpoints, spent only by requests that fail authentication. */
  INTAKE_FAILED_AUTH_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  INTAKE_FAILED_AUTH_BURST: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** Integrations a webhook without &i= is checked against at most while its source is past that budget. */
  INTAKE_LIMITED_CHECKS: z.coerce.number().int().min(2).max(64).default(8),
  COUNTRY_HEADER: z.string().toLowerCase().optional(),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
  SCHEDULER: bool(true),
  NETWORK_TIMEZONE: z.string().default("UTC").refine(isTimeZone, "not a timezone this runtime knows (use an IANA name such as UTC or Europe/Berlin)"),
  CLICK_FLUSH_MS: z.coerce.number().int().min(1).max(10_000).default(10),
  CLICK_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
  /** Crash-loss bound: clicks answered but not yet committed, at most (back-pressure beyond). */
  CLICK_MAX_UNWRITTEN: z.coerce.number().int().min(1).max(100_000).default(1_000),
  /** Console login throttling: failures in a row before a lock, lock length, base of the progressive delay. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  LOGIN_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(250),
  LOG_FORMAT: z.enum(["text", "json"]).default("text"),
  LOG_REQUESTS: bool(true),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** smtp(s)://user:pass@host:port: invoices and statements are mailed from the outbox; unset: nothing is mailed. */
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, "must be smtp://... or smtps://...").optional(),
  MAIL_FROM: z.string().max(200).default("Lastclick <noreply@localhost>"),
  /** How long the change feed keeps rows (live pages reconnecting within it replay what they missed). */
  CHANGES_RETENTION_HOURS: z.coerce.number().int().min(1).max(720).default(24),
});

export type RawConfig = z.infer<typeof configSchema>;
export interface Config extends Omit<RawConfig, "PUBLIC_URL"> {
  PUBLIC_URL: string;
  /** True when PUBLIC_URL was not given and follows the listening port. */
  PUBLIC_URL_DERIVED: boolean;
}

/** `--public-url=x` / `--public-url x` -> { PUBLIC_URL: "x" }. */
export function flagsToEnv(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) continue;
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const key = name.replace(/-/g, "_").toUpperCase();
    if (inline !== undefined) out[key] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) out[key] = argv[++i]!;
    else out[key] = "true";
  }
  return out;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined>, argv: string[] = []): Config {
  const merged: Record<string, string | undefined> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") merged[key] = v;
  }
  Object.assign(merged, flagsToEnv(argv));
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    // One issue, one line (what an operator sees in `docker logs`); several, one line each.
    throw new ConfigError(lines.length === 1 ? `Invalid configuration: ${lines[0]!.trim()}` : `Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, "");
  return { ...c, PUBLIC_URL: publicUrl, PUBLIC_URL_DERIVED: c.PUBLIC_URL === undefined };
}
