import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { loadConfig } from "../config";
import { openDatabase } from "../db/client";
import { migrate } from "../db/migrate";
import { backup } from "./backup";
import { formatSummary, OpsError, SECRETS_REMINDER } from "./db-file";
import { defaultHealthUrl, health } from "./health-command";
import { LATEST_MIGRATION } from "./readiness";
import { restore } from "./restore";
import { databaseUnavailable } from "./startup-errors";
import { VERSION } from "./version";

/** Help of the operator commands, merged into the CLI's help table. */
export const OPS_HELP: Record<string, string> = {
  migrate: `Usage: lastclick migrate [--database-url URL]

Applies the embedded database migrations, prints which ones it applied, and exits.
Refuses (exit 2) a database migrated by a newer Lastclick.`,
  backup: `Usage: lastclick backup --to FILE [--force] [--database-url URL]

Writes an online, consistent copy of the database into FILE while the server keeps
running (embedded file: VACUUM INTO, which includes what the WAL holds; libSQL server:
every table read in one read transaction). The copy is verified (integrity check,
migrations table) before it takes the name FILE; an existing FILE is replaced only
with --force. Prints tables, rows and bytes.

secrets.key / SECRETS_KEY is not in the backup: keep it beside the backup.`,
  restore: `Usage: lastclick restore --from FILE [--force] [--database-url URL]

Verifies FILE (integrity check, migrations table) and puts it in place of the embedded
database (DATABASE_URL=file:...). Refuses while a running Lastclick has the database
open, and refuses to replace an existing database without --force.

Put the secrets.key that belonged to the backed-up database beside the restored one
(or set SECRETS_KEY) before starting.`,
  health: `Usage: lastclick health [--url URL]

Asks a running server whether it is ready (GET /readyz: database reachable, migrations
applied). Exit 0 when ready, 1 otherwise; one line of output. Default URL:
http://127.0.0.1:$PORT/readyz. For the Dockerfile: HEALTHCHECK CMD ["/usr/local/bin/lastclick", "health"]`,
};

export const OPS_COMMANDS_HELP = `  backup         online, verified copy of the database: lastclick backup --to FILE
  restore        put a backup in place (server stopped): lastclick restore --from FILE
  health         exit 0 if the server on this machine is ready (for HEALTHCHECK)
  --version      print the version`;

/** `--name value` / `--name=value` / `--name` (flag) out of argv; the rest is configuration. */
function take(argv: string[], flag: string, withValue: boolean): { value: string | true | undefined; rest: string[] } {
  const rest: string[] = [];
  let value: string | true | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${flag}`) value = withValue ? (argv[++i] ?? true) : true;
    else if (withValue && a.startsWith(`--${flag}=`)) value = a.slice(flag.length + 3);
    else rest.push(a);
  }
  return { value, rest };
}

async function migrateCommand(args: string[], env: Record<string, string | undefined>): Promise<number> {
  const config = loadConfig(env, args);
  const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN).catch((e) => { throw databaseUnavailable(config.DATABASE_URL, e); });
  try {
    const { applied } = await migrate(database.client).catch((e) => { throw databaseUnavailable(config.DATABASE_URL, e); });
    if (applied.length) console.log(`Applied ${applied.length} migration${applied.length > 1 ? "s" : ""}: ${applied.join(", ")}. The database is at ${LATEST_MIGRATION.tag}.`);
    else console.log(`Nothing to apply: the database is already at ${LATEST_MIGRATION.tag}.`);
    return 0;
  } finally {
    database.close();
  }
}

async function backupCommand(args: string[], env: Record<string, string | undefined>): Promise<number> {
  const { value: to, rest: r1 } = take(args, "to", true);
  const { value: force, rest } = take(r1, "force", false);
  if (typeof to !== "string" || !to) { console.error(`--to FILE is required\n\n${OPS_HELP.backup}`); return 2; }
  const config = loadConfig(env, rest);
  const started = performance.now();
  const s = await backup({ databaseUrl: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN, to, force: force === true });
  console.log(`Backup written to ${s.path} in ${Math.round(performance.now() - started)} ms: ${formatSummary(s)}`);
  console.log(SECRETS_REMINDER);
  return 0;
}

async function restoreCommand(args: string[], env: Record<string, string | undefined>): Promise<number> {
  const { value: from, rest: r1 } = take(args, "from", true);
  const { value: force, rest } = take(r1, "force", false);
  if (typeof from !== "string" || !from) { console.error(`--from FILE is required\n\n${OPS_HELP.restore}`); return 2; }
  const config = loadConfig(env, rest);
  const s = await restore({ from, databaseUrl: config.DATABASE_URL, force: force === true });
  console.log(`Restored ${resolve(from)} into ${s.path}${s.replaced ? " (replaced the database that was there)" : ""}: ${formatSummary(s)}`);
  const keyBeside = existsSync(join(dirname(s.path), "secrets.key"));
  if (!config.SECRETS_KEY && !keyBeside) console.log(`WARNING: no secrets.key in ${dirname(s.path)} and SECRETS_KEY is not set.`);
  console.log(SECRETS_REMINDER);
  return 0;
}

/**
 * The operator commands (migrate, backup, restore, health, --version).
 * Returns the exit code, or null when `command` is not one of them.
 */
export async function runOpsCommand(command: string, args: string[], env: Record<string, string | undefined>): Promise<number | null> {
  try {
    switch (command) {
      case "--version": case "-v": case "version":
        console.log(`lastclick ${VERSION} (database migration ${LATEST_MIGRATION.tag})`);
        return 0;
      case "migrate": return await migrateCommand(args, env);
      case "backup": return await backupCommand(args, env);
      case "restore": return await restoreCommand(args, env);
      case "health": {
        const { value: url } = take(args, "url", true);
        const r = await health(typeof url === "string" ? url : defaultHealthUrl(env));
        (r.ok ? console.log : console.error)(r.line);
        return r.ok ? 0 : 1;
      }
      default: return null;
    }
  } catch (e) {
    if (e instanceof OpsError) { console.error(e.message); return 2; }
    throw e;
  }
}

