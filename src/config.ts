import { z } from "zod";
import { ipOrCidr } from "./shared/validators";

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
  IP_HASH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  SECRETS_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /** A file holding the secrets key (required, or SECRETS_KEY, on a libSQL server URL). */
  SECRETS_KEY_FILE: z.string().optional(),
  INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  COUNTRY_HEADER: z.string().toLowerCase().optional(),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
  SCHEDULER: bool(true),
  NETWORK_TIMEZONE: z.string().default("UTC"),
  CLICK_FLUSH_MS: z.coerce.number().int().min(1).max(10_000).default(10),
  CLICK_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
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
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, "");
  return { ...c, PUBLIC_URL: publicUrl, PUBLIC_URL_DERIVED: c.PUBLIC_URL === undefined };
}
