import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "./schema";
import { serverClient } from "./stream-pool-client";

export type Db = LibSQLDatabase<typeof schema>;
export interface Database { client: Client; db: Db; isFile: boolean; close(): void }

/** Opens the embedded file (creating its folder) or a libSQL server URL. */
export async function openDatabase(url: string, authToken?: string): Promise<Database> {
  const isFile = url.startsWith("file:");
  if (isFile) {
    const path = url.slice("file:".length).split("?")[0]!;
    if (path && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  }
  // timeout = busy timeout (ms): writers queue instead of failing with SQLITE_BUSY.
  const client = isFile ? createClient({ url, authToken, timeout: 5000 }) : serverClient(url, authToken);
  if (isFile) {
    // WAL is persistent in the file; synchronous stays FULL (SQLite default) for durability.
    await client.execute("PRAGMA journal_mode=WAL");
  }
  const db = drizzle(client, { schema });
  return { client, db, isFile, close: () => client.close() };
}
