#!/usr/bin/env bun
import { boot } from "./boot";
import { ConfigError, loadConfig } from "./config";
import { createAdminToken, listAdminTokens, revokeAdminToken, TOKEN_NAME_RE } from "./network/admin-tokens";
import { SYSTEM } from "./auth/authenticate";
import { AppError, NotFound } from "./shared/errors";
import { describeDemo, seedDemo } from "./demo";
import { serve } from "./main";
import { z } from "zod";
import { createUser } from "./auth/users/create-user";
import { resetPassword } from "./auth/users/reset-password";
import { OPS_COMMANDS_HELP, OPS_HELP, runOpsCommand } from "./ops/commands";
import { logError } from "./ops/log";
import { StartupError } from "./ops/startup-errors";
import { closePeriod } from "./settlement/close-period";
import { duePeriods } from "./settlement/close-due";
import { describeSummary } from "./settlement/describe-summary";

const CONFIG_HELP = `Configuration (environment variable, or the same name as a flag: --public-url URL):
  DATABASE_URL       file:./data/lastclick.db (default) or libsql://host:port for a libSQL server
  DATABASE_AUTH_TOKEN  token for a libSQL server
  PORT / HOST        8080 / 0.0.0.0
  PUBLIC_URL         base of tracking links (default http://localhost:PORT)
  COOKIE_DOMAIN      Domain= of the click cookie (default: host-only)
  CLICK_PARAM        name of the click parameter and cookie (default lc_click)
  TRUSTED_PROXIES    comma-separated IPs/CIDRs allowed to set X-Forwarded-For
  SECRETS_KEY        seals stored secrets and the daily IP-hash salts (default: secrets.key beside the database)
  COUNTRY_HEADER     trusted edge header with the visitor country (e.g. cf-ipcountry)
  MAX_BODY_BYTES     request body cap, 413 above it (default 65536)
  SCHEDULER          on|off (default on)
  NETWORK_TIMEZONE   IANA timezone for schedules and the days of /rubric?as_of (default UTC)
  LOGIN_MAX_FAILURES console login failures in a row before a lock (default 10 per account, 5x per IP)
  LOGIN_LOCK_MINUTES length of a console login lock (default 15)
  LOGIN_DELAY_MS     base of the progressive delay after the 2nd failed login (default 250)
  LOG_FORMAT         text (default) or json: one line per request, job run and error
  LOG_REQUESTS       on|off: the per-request lines (default on)
  METRICS_TOKEN      if set, GET /metrics needs "Authorization: Bearer <token>"
  SMTP_URL           smtp(s)://user:pass@host:port to mail invoices and statements (default: no mail)
  MAIL_FROM          sender of those mails (default Lastclick <noreply@localhost>)`;

const HELP: Record<string, string> = {
  main: `lastclick — a self-hosted affiliate network in one executable

Usage: lastclick <command> [flags]

Commands:
  serve          start the appliance (HTTP, tracking, postbacks, scheduler)
  migrate        create or upgrade the database and exit
  token create   create an admin API token: lastclick token create --name NAME
  token list     list admin tokens (name, created, last used, revoked; never the token)
  token revoke   revoke an admin token at once: lastclick token revoke ID
  user create    create a console user and print its invite link:
                 lastclick user create --email E --role admin|brand|publisher [--brand-id ID | --publisher-id ID]
  user reset-password  print a fresh one-time link where the user sets a new password: --email E
  settle         close a month (write-once): lastclick settle --period 2026-11
  demo           seed demo data (a brand, two programs, two publishers), print links and tokens, then serve
${OPS_COMMANDS_HELP}

Run "lastclick <command> --help" for details.

${CONFIG_HELP}`,
  serve: `Usage: lastclick serve [--port N] [--public-url URL] [--database-url URL] [...]

Starts the appliance. On first start it creates the database and prints an admin token.
Stops gracefully on SIGTERM/SIGINT, writing every accepted click first.

${CONFIG_HELP}`,
  ...OPS_HELP,
  token: `Usage: lastclick token create --name NAME [--database-url URL]
       lastclick token list [--database-url URL]
       lastclick token revoke ID [--database-url URL]

create: makes an admin API token (lc_admin_...). It is printed once; only its hash is stored.
list:   every token with its id, name, creation time, last use (to the minute) and revocation.
revoke: the token is refused from the next request on. The same as the API:
        GET /api/admin/tokens, DELETE /api/admin/tokens/{id}.`,
  user: `Usage: lastclick user create --email E --role admin|brand|publisher [--brand-id ID | --publisher-id ID] [--database-url URL]
       lastclick user reset-password --email E [--database-url URL]

Prints a one-time link (valid 7 days) where the person sets a password and signs in.`,
  settle: `Usage: lastclick settle [--period YYYY-MM] [--json] [--database-url URL]

Closes a month in the network timezone (the same close as the scheduler and the API):
settles approved live conversions and adjustments once, writes payouts and invoices,
prints the summary. A rerun prints the same summary and settles nothing twice.
Without --period it closes every ended month not yet closed (catch-up).`,
  demo: `Usage: lastclick demo [--port N] [--no-serve] [...]

Seeds demo data once (brand "Acme Outdoor", programs "Acme Tents" and "Acme Boots",
publishers "Trail Blog" and "Gear Reviews", all approved; a smart-link rubric of 11
signals, both programs scored, a smart link with a match page), prints the links,
and starts serving (unless --no-serve). The admin token "demo" and the brand keys are
minted and printed on the first run only; --new-keys revokes them and prints new ones.

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

/** lastclick token create|list|revoke: the CLI face of the admin token verbs (the API has the same). */
async function tokenCommand(env: Record<string, string | undefined>, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  let name: string | undefined;
  let id: string | undefined;
  let cfgArgs = rest;
  if (sub === "create") {
    const taken = take(rest, "name", true);
    if (typeof taken.value !== "string" || !TOKEN_NAME_RE.test(taken.value)) { console.error("--name NAME is required (letters, digits, space, . @ - _)"); return 2; }
    [name, cfgArgs] = [taken.value, taken.rest];
  } else if (sub === "revoke") {
    [id, ...cfgArgs] = rest;
    if (!id || id.startsWith("--")) { console.error("Usage: lastclick token revoke ID (ids are in lastclick token list)"); return 2; }
  } else if (sub !== "list") { console.error(HELP.token); return 2; }
  const { ctx, database } = await boot(loadConfig(env, cfgArgs));
  try {
    const now = ctx.clock.now();
    if (name !== undefined) {
      const t = await createAdminToken(ctx.db, name, now, SYSTEM);
      console.log(`Admin token "${name}" (shown once; only its hash is stored):\n${t.token}`);
    } else if (id !== undefined) {
      const t = await revokeAdminToken(ctx.db, SYSTEM, id, now);
      console.log(`Admin token "${t.name}" (${t.id}) is revoked since ${t.revoked_at}.`);
    } else {
      const rows = await listAdminTokens(ctx.db);
      if (rows.length === 0) console.log("No admin tokens.");
      for (const t of rows) {
        const state = t.revoked_at ? `revoked ${t.revoked_at}` : "active";
        console.log(`${t.id}  ${t.name.padEnd(20)} created ${t.created_at}  last used ${t.last_used_at ?? "never"}  ${state}`);
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof NotFound) { console.error(`No admin token with id "${id}".`); return 1; }
    throw e;
  } finally {
    await ctx.clicks.close();
    database.close();
  }
}

/** `lastclick user create|reset-password`: prints the invite link; errors as one line each. */
async function userCommand(args: string[], env: Record<string, string | undefined>): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "create" && sub !== "reset-password") { console.error(HELP.user); return 2; }
  const email = take(rest, "email", true);
  const role = take(email.rest, "role", true);
  const brandId = take(role.rest, "brand-id", true);
  const publisherId = take(brandId.rest, "publisher-id", true);
  if (typeof email.value !== "string") { console.error("--email E is required"); return 2; }
  if (sub === "create" && (role.value !== "admin" && role.value !== "brand" && role.value !== "publisher")) { console.error("--role admin|brand|publisher is required"); return 2; }
  const { ctx, database } = await boot(loadConfig(env, publisherId.rest));
  try {
    if (sub === "create") {
      const body = z.email().safeParse(email.value);
      if (!body.success) { console.error("--email: not an email address"); return 2; }
      const u = await createUser(ctx, SYSTEM, { email: body.data, role: role.value as "admin", brandId: typeof brandId.value === "string" ? brandId.value : null, publisherId: typeof publisherId.value === "string" ? publisherId.value : null });
      console.log(`User ${u.email} (${role.value}) created. Send them this one-time link to set a password (valid 7 days):\n${u.invite_url}`);
    } else {
      const r = await resetPassword(ctx, SYSTEM, email.value);
      console.log(`One-time link to set a new password for ${email.value} (valid 7 days; earlier links stop working):\n${r.invite_url}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof AppError) {
      const fields = e.fields ? ": " + Object.entries(e.fields).map(([k, v]) => `${k} ${v.join(", ")}`).join("; ") : "";
      console.error(`${e.message}${fields}`);
      return 1;
    }
    throw e;
  } finally {
    await ctx.clicks.close();
    database.close();
  }
}

export async function runCli(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [command, ...args] = argv;
  const wantsHelp = args.includes("--help") || args.includes("-h");
  if (!command || command === "--help" || command === "-h" || command === "help") { console.log(HELP.main); return 0; }
  if (wantsHelp && Object.hasOwn(HELP, command)) { console.log(HELP[command]); return 0; }
  try {
    const ops = await runOpsCommand(command, args, env);
    if (ops !== null) return ops;
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
      case "token": return await tokenCommand(env, args);
      case "user": return await userCommand(args, env);
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
        const { value: noServe, rest: afterServe } = take(args, "no-serve", false);
        const { value: newKeys, rest } = take(afterServe, "new-keys", false);
        const config = loadConfig(env, rest);
        const seed = async (ctx: Parameters<typeof seedDemo>[0]) => describeDemo(await seedDemo(ctx, { newKeys: newKeys === true }), config.PUBLIC_URL);
        if (noServe) {
          const { ctx, database } = await boot(config);
          console.log(await seed(ctx));
          await ctx.clicks.close();
          database.close();
          return 0;
        }
        await serve(config, { beforeListen: async (ctx) => console.log(await seed(ctx) + "\n") });
        return -1;
      }
      default:
        console.error(`Unknown command "${command}".\n\n${HELP.main}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ConfigError || e instanceof StartupError) { console.error(e.message); return 2; }
    throw e;
  }
}

if (import.meta.main) {
  // Anything unexpected: one line with an id, never a page of minified source.
  const code = await runCli(process.argv.slice(2), process.env).catch((e) => { logError("failed", e); return 1; });
  if (code >= 0) process.exit(code);
}
