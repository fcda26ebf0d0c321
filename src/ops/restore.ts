import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { randomToken } from "../shared/ids";
import { filePathOf, OpsError, verifyDatabaseFile, type FileSummary } from "./db-file";

/**
 * True when another process has the database open. A WAL database's
 * connections each hold a shared lock on the file for as long as they are
 * open (idle or not); leaving WAL mode needs the exclusive lock, so it fails
 * while a server runs and succeeds (checkpointing the WAL) when none does.
 */
export async function databaseInUse(path: string): Promise<boolean> {
  const client = createClient({ url: `file:${path}`, timeout: 300 });
  try {
    await client.execute("PRAGMA journal_mode=DELETE");
    return false;
  } catch (e) {
    const msg = (e as Error).message;
    if (/SQLITE_BUSY|locked/i.test(msg)) return true;
    return false; // not a database at all: nobody can be serving it
  } finally {
    client.close();
  }
}

/**
 * Puts a verified backup in place of the embedded database: refuses while a
 * server has it open, and refuses to replace an existing database without
 * `force`. The copy takes the database's name by rename, after the old
 * database's -wal/-shm are gone (a stale WAL would be replayed into it).
 */
export async function restore(opts: { from: string; databaseUrl: string; force: boolean }): Promise<FileSummary & { replaced: boolean }> {
  const target = filePathOf(opts.databaseUrl);
  if (!target) {
    throw new OpsError("restore writes an embedded database file (DATABASE_URL=file:...); for a libSQL server, restore into a file and load that file with the server's own import");
  }
  const from = resolve(opts.from);
  const summary = await verifyDatabaseFile(from);
  if (summary.newerThanBinary) throw new OpsError(`${from} was made by a newer Lastclick (migration ${summary.migration}); restore it with that version`);
  const to = resolve(target);
  if (from === to) throw new OpsError("--from is the database itself");
  const exists = existsSync(to);
  if (exists && await databaseInUse(to)) throw new OpsError(`${to} is open in a running Lastclick (or another program): stop it first, then restore`);
  if (exists && !opts.force) throw new OpsError(`${to} already holds a database; pass --force to replace it (take a backup of it first)`);
  mkdirSync(dirname(to), { recursive: true });
  const partial = `${to}.restore-${randomToken(6)}`;
  try {
    copyFileSync(from, partial);
    for (const side of ["-wal", "-shm", "-journal"]) rmSync(to + side, { force: true });
    renameSync(partial, to);
  } finally {
    rmSync(partial, { force: true });
  }
  return { ...summary, path: to, replaced: exists };
}
