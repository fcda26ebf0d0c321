import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import { dirname, join } from "node:path";
import { eq } from "drizzle-orm";
import { ConfigError, type Config } from "../config";
import type { Database } from "../db/client";
import { settings } from "../db/schema";
import { randomToken } from "./ids";

/**
 * The key that seals read-back secrets (and signs ledger links): SECRETS_KEY,
 * else the file SECRETS_KEY_FILE names, else (embedded database only) a file
 * created once beside it, mode 0600. On a libSQL server several instances
 * share one database, so each making its own key would make instance 2 refuse
 * what instance 1 sealed: there the key must be given.
 */
export function loadSecretsKey(config: Config, dataDir: string): string {
  if (config.SECRETS_KEY) return config.SECRETS_KEY;
  if (config.SECRETS_KEY_FILE) {
    if (!existsSync(config.SECRETS_KEY_FILE)) throw new ConfigError(`SECRETS_KEY_FILE: ${config.SECRETS_KEY_FILE} does not exist`);
    const key = readFileSync(config.SECRETS_KEY_FILE, "utf8").trim();
    if (key.length < 32) throw new ConfigError(`SECRETS_KEY_FILE: ${config.SECRETS_KEY_FILE} must hold at least 32 characters`);
    return key;
  }
  if (!config.DATABASE_URL.startsWith("file:")) {
    throw new ConfigError("A libSQL server database is shared by every instance, so they must share one secrets key: "
      + "set SECRETS_KEY (at least 32 characters) or SECRETS_KEY_FILE to the same key on every instance "
      + "(e.g. copy the secrets.key of the first instance; `openssl rand -base64 33` makes a new one)");
  }
  const file = join(dataDir, "secrets.key");
  try {
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      try {
        writeFileSync(file, randomToken(32), { mode: 0o600, flag: "wx" });
        chmodSync(file, 0o600);
      } catch (e) {
        // Another instance starting at the same moment created it first: use theirs.
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
    }
    return readFileSync(file, "utf8").trim();
  } catch (e) {
    throw notPermitted(e, file) ?? e;
  }
}

/** A data folder this user may not write (typically a container's bind mount owned by another uid): one clear line. */
function notPermitted(e: unknown, file: string): ConfigError | null {
  const code = (e as NodeJS.ErrnoException).code;
  if (code !== "EACCES" && code !== "EPERM" && code !== "EROFS") return null;
  const uid = process.getuid?.();
  return new ConfigError(`Cannot create or read ${file} (${code}): the data folder ${dirname(file)} must be writable by this process`
    + `${uid === undefined ? "" : ` (uid ${uid})`}; for a container's bind mount, chown 65532:65532 the host folder`);
}

/** Identifies a key without revealing it. */
export function keyFingerprint(key: string): string {
  return createHmac("sha256", key).update("lastclick secrets-key fingerprint v1").digest("hex").slice(0, 32);
}

/**
 * The first instance to start records its key's fingerprint (insert-or-nothing,
 * so two first starts agree); every later start with another key is refused
 * before it can seal anything the others cannot open.
 */
export async function checkKeyFingerprint(database: Database, key: string, source: string): Promise<void> {
  const mine = keyFingerprint(key);
  await database.db.insert(settings).values({ key: "secrets_key_fingerprint", value: mine }).onConflictDoNothing();
  const [row] = await database.db.select().from(settings).where(eq(settings.key, "secrets_key_fingerprint"));
  if (row && row.value !== mine) {
    throw new ConfigError(`The secrets key from ${source} is not the key this database was set up with `
      + `(fingerprint ${mine.slice(0, 12)}, database expects ${row.value.slice(0, 12)}): secrets sealed by other instances could not be opened. `
      + "Give every instance the same SECRETS_KEY / SECRETS_KEY_FILE (the original secrets.key).");
  }
}

export function keySource(config: Config, dataDir: string): string {
  return config.SECRETS_KEY ? "SECRETS_KEY" : config.SECRETS_KEY_FILE ? `SECRETS_KEY_FILE (${config.SECRETS_KEY_FILE})` : join(dataDir, "secrets.key");
}
