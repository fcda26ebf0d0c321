#!/usr/bin/env bun
import { boot } from "./boot";
import { ConfigError, loadConfig } from "./config";
import { createAdminToken } from "./admin/admin-tokens";
import { describeDemo, seedDemo } from "./demo";
import { serve } from "./main";
import { SYSTEM } from "./auth/authenticate";
import { closePeriod } from "./settlement/close-period";
import { duePeriods } from "./settlement/close-due";
import { describeSummary } from "./settlement/describe-summary";
import { AppError } from "./shared/errors";

const CONFIG_HELP = `Configuration (environment variable, or the same name as a flag: --public-url URL):
  DATABASE_URL       file:./data/lastclick.db (default) or libsql://host:port for a libSQL server
  DATABASE_AUTH_TOKEN  token for a libSQL server
  PORT / HOST        8080 / 0.0.0.0
  PUBLIC_URL         base of tracking links (default http://localhost:PORT)
  COOKIE_DOMAIN      Domain= of the click cookie (default: host-only)
  CLICK_PARAM        name of the click parameter and cookie (default lc_click)
  TRUSTED_PROXIES    comma-separated IPs/CIDRs allowed to set X-Forwarded-For
  IP_HASH_SECRET     key for hashing IPs (default: generated once, kept in the database)
  COUNTRY_HEADER     trusted edge header with the visitor country (e.g. cf-ipcountry)
  MAX_BODY_BYTES     request body cap, 413 above it (default 65536)
  SCHEDULER          on|off (default on)
  NETWORK_TIMEZONE   timezone for schedules (default UTC)
  SMTP_URL           smtp(s)://user:pass@host:port to mail invoices and statements (default: no mail)
  MAIL_FROM          sender of those mails (default Lastclick <noreply@localhost>)`;

const HELP: Record<string, string> = {
  main: `lastclick — a self-hosted affiliate network in one executable

Usage: lastclick <command> [flags]

Commands:
  serve          start the appliance (HTTP, tracking, postbacks, scheduler)
  migrate        create or upgrade the database and exit
  token create   create an admin API token: lastclick token create --name NAME
  settle         close a month (write-once): lastclick settle --period 2026-11
  demo           seed demo data (a brand, two programs, two publishers), print links and tokens, then serve

Run "lastclick <command> --help" for details.

${CONFIG_HELP}`,
  serve: `Usage: lastclick serve [--port N] [--public-url URL] [--database-url URL] [...]

Starts the appliance. On first start it creates the database and prints an admin token.
Stops gracefully on SIGTERM/SIGINT, writing every accepted click first.

${CONFIG_HELP}`,
  migrate: `Usage: lastclick migrate [--database-url URL]

Applies the embedded database migrations and exits.`,
  token: `Usage: lastclick token create --name NAME [--database-url URL]

Creates an admin API token (lc_admin_...). It is printed once; only its hash is stored.`,
  settle: `Usage: lastclick settle [--period YYYY-MM] [--json] [--database-url URL]

Closes a month in the network timezone (the same close as the scheduler and the API):
settles approved live conversions and adjustments once, writes payouts and invoices,
prints the summary. A rerun prints the same summary and settles nothing twice.
Without --period it closes every ended month not yet closed (catch-up).`,
  demo: `Usage: lastclick demo [--port N] [--no-serve] [...]

Seeds demo data once (brand "Acme Outdoor", programs "Acme Tents" and "Acme Boots",
publishers "Trail Blog" and "Gear Reviews", all approved), mints a fresh admin token
and brand keys, prints the tracking links, and starts serving (unless --no-serve).

${CONFIG_HELP}`,
};

/** Flags the commands own; everything else is configuration. */
function take(argv: string[], flag: string, withValue: boolean): { value: string | true | undefined; rest: string[] } {
  const rest: string[] = [];
  let value: string | true | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${flag}`) value = withValue ? argv[++i] : true;
    else if (withValue && a.startsWith(`--${flag}=`)) value = a.slice(flag.length + 3);
    else rest.push(a);
  }
  return { value, rest };
}

export async function runCli(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [command, ...args] = argv;
  const wantsHelp = args.includes("--help") || args.includes("-h");
  if (!command || command === "--help" || command === "-h" || command === "help") { console.log(HELP.main); return 0; }
  if (wantsHelp && HELP[command]) { console.log(HELP[command]); return 0; }
  try {
    switch (command) {
      case "serve": {
        await serve(loadConfig(env, args));
        return -1; // keep running
      }
      case "migrate": {
        const { database } = await boot(loadConfig(env, args));
        database.close();
        console.log("Database is up to date.");
        return 0;
      }
      case "token": {
        const [sub, ...rest] = args;
        if (sub !== "create") { console.error(HELP.token); return 2; }
        const { value: name, rest: cfgArgs } = take(rest, "name", true);
        if (typeof name !== "string" || !/^[\w .@-]{1,80}$/.test(name)) { console.error("--name NAME is required (letters, digits, space, . @ - _)"); return 2; }
        const { ctx, database } = await boot(loadConfig(env, cfgArgs));
        const t = await createAdminToken(ctx.db, name, ctx.clock.now());
        await ctx.clicks.close();
        database.close();
        console.log(`Admin token "${name}" (shown once; only its hash is stored):\n${t.token}`);
        return 0;
      }
      case "settle": {
        const { value: period, rest: r1 } = take(args, "period", true);
        const { value: asJson, rest: cfgArgs } = take(r1, "json", false);
        if (period !== undefined && typeof period !== "string") { console.error(HELP.settle); return 2; }
        const { ctx, database } = await boot(loadConfig(env, cfgArgs));
        try {
          const periods = period ? [period] : await duePeriods(ctx);
          for (const p of periods) {
            const r = await closePeriod(ctx, SYSTEM, p);
            console.log(asJson ? JSON.stringify({ created: r.created, ...r.summary }) : describeSummary(r.summary, r.created));
          }
          if (periods.length === 0) console.log("No ended month is waiting to be closed.");
          return 0;
        } catch (e) {
          if (e instanceof AppError) {
            console.error(`${e.message}${e.fields ? ": " + Object.values(e.fields).flat().join("; ") : ""}`);
            return 1;
          }
          throw e;
        } finally {
          await ctx.clicks.close();
          database.close();
        }
      }
      case "demo": {
        const { value: noServe, rest } = take(args, "no-serve", false);
        const config = loadConfig(env, rest);
        if (noServe) {
          const { ctx, database } = await boot(config);
          console.log(describeDemo(await seedDemo(ctx), config.PUBLIC_URL));
          database.close();
          return 0;
        }
        await serve(config, { beforeListen: async (ctx) => console.log(describeDemo(await seedDemo(ctx), config.PUBLIC_URL) + "\n") });
        return -1;
      }
      default:
        console.error(`Unknown command "${command}".\n\n${HELP.main}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ConfigError) { console.error(e.message); return 2; }
    throw e;
  }
}

if (import.meta.main) {
  const code = await runCli(process.argv.slice(2), process.env);
  if (code >= 0) process.exit(code);
}
