import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient, type Client, type InValue } from "@libsql/client";
import { randomToken } from "../shared/ids";
import { filePathOf, OpsError, verifyDatabaseFile, type FileSummary } from "./db-file";

const PAGE = 1000;
const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * An online, consistent copy of the database into a fresh file, verified
 * before it takes the target's name (a failed backup never leaves a file
 * that looks like one).
 * - Embedded file: `VACUUM INTO` reads one snapshot, WAL included, while the
 *   server keeps writing.
 * - libSQL server: schema and rows read in one read transaction (one
 *   snapshot) through the client, written into a new local file.
 */
export async function backup(opts: { databaseUrl: string; authToken?: string; to: string; force: boolean }): Promise<FileSummary> {
  const to = resolve(opts.to);
  if (existsSync(to) && !opts.force) throw new OpsError(`${to} already exists; pass --force to replace it`);
  mkdirSync(dirname(to), { recursive: true });
  const partial = `${to}.partial-${randomToken(6)}`;
  try {
    const source = filePathOf(opts.databaseUrl);
    if (source) await vacuumInto(source, partial);
    else await copyThroughClient(createClient({ url: opts.databaseUrl, authToken: opts.authToken, intMode: "bigint" }), partial);
    const summary = await verifyDatabaseFile(partial);
    renameSync(partial, to);
    return { ...summary, path: to };
  } finally {
    rmSync(partial, { force: true });
  }
}

async function vacuumInto(source: string, target: string): Promise<void> {
  if (!existsSync(source)) throw new OpsError(`No database at ${resolve(source)}`);
  const client = createClient({ url: `file:${source}`, timeout: 5000 });
  try {
    await client.execute({ sql: "VACUUM INTO ?", args: [target] });
  } finally {
    client.close();
  }
}

/** Reads every table page by page inside one read transaction; closes `source`. */
export async function copyThroughClient(source: Client, target: string): Promise<void> {
  const dest = createClient({ url: `file:${target}` });
  const tx = await source.transaction("read");
  try {
    // Rows arrive table by table, not in reference order; the source already satisfied its keys.
    await dest.execute("PRAGMA foreign_keys=OFF");
    const schema = await tx.execute(
      `SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid`);
    const objects = schema.rows.map((r) => ({ type: String(r[0]), name: String(r[1]), sql: String(r[2]) }));
    const tables = objects.filter((o) => o.type === "table");
    for (const t of tables) await dest.execute(t.sql);
    for (const t of tables) await copyTable(tx, dest, t.name, /WITHOUT\s+ROWID/i.test(t.sql));
    const seq = await tx.execute(`SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'`);
    if (seq.rows.length) await copyTable(tx, dest, "sqlite_sequence", false);
    // Indexes and triggers after the rows: faster, and a trigger never fires on the copy's own inserts.
    for (const o of objects.filter((o) => o.type !== "table")) await dest.execute(o.sql);
  } finally {
    tx.close();
    source.close();
    dest.close();
  }
}

async function copyTable(tx: { execute: Client["execute"] }, dest: Client, name: string, withoutRowid: boolean): Promise<void> {
  const table = quoteId(name);
  let lastRowid: InValue = -1n;
  for (let offset = 0; ; offset += PAGE) {
    // Keyset on rowid where there is one (no quadratic OFFSET over large tables).
    const rs = withoutRowid
      ? await tx.execute({ sql: `SELECT * FROM ${table} LIMIT ? OFFSET ?`, args: [PAGE, offset] })
      : await tx.execute({ sql: `SELECT rowid AS "__lc_rowid", * FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`, args: [lastRowid, PAGE] });
    if (rs.rows.length === 0) return;
    const skip = withoutRowid ? 0 : 1;
    const columns = rs.columns.slice(skip);
    const insert = `INSERT INTO ${table} (${columns.map(quoteId).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
    await dest.batch(rs.rows.map((row) => ({ sql: insert, args: Array.from(row).slice(skip) as InValue[] })), "write");
    if (!withoutRowid) lastRowid = rs.rows[rs.rows.length - 1]![0] as InValue;
    if (rs.rows.length < PAGE) return;
  }
}
