import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, LibsqlBatchError, type Client } from "@libsql/client";
import { StreamPoolClient } from "../../src/db/stream-pool-client";
import { findSqld, startSqld, type Sqld } from "../helpers/sqld";

// The libSQL server client on kept-open Hrana streams (src/db/stream-pool-client.ts), against a real sqld.
const started = await startSqld();

if ("reason" in started) {
  console.warn(`[skip] sqld stream-pool suite: ${started.reason}`);
  test.skip(`sqld stream-pool suite (${started.reason})`, () => {});
} else {
  const sqld: Sqld = started.sqld;
  const url = `${sqld.url.replace(/^http:/, "libsql:")}?tls=0`;
  let stock: Client;
  let pipelineRequests = 0;
  const countingFetch = (req: Request) => { if (req.url.includes("pipeline")) pipelineRequests++; return fetch(req); };
  let pool: StreamPoolClient;
  beforeAll(async () => {
    stock = createClient({ url });
    await stock.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)");
    pool = new StreamPoolClient({ url, fetch: countingFetch }, { poolSize: 2 });
  });
  afterAll(async () => { pool.close(); stock.close(); await sqld.stop(); });

  describe("StreamPoolClient on a libSQL server", () => {
    test("sequential calls reuse one stream; concurrent ones pipeline into far fewer HTTP requests, each with its own answer", async () => {
      const opened = pool.streamsOpened;
      for (let i = 0; i < 20; i++) expect((await pool.execute({ sql: "SELECT ? AS v", args: [i] })).rows[0]!.v).toBe(i);
      expect(pool.streamsOpened - opened).toBeLessThanOrEqual(1);

      const before = pipelineRequests;
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => pool.execute({ sql: "SELECT ? AS v", args: [i] })));
      expect(answers.map((r) => r.rows[0]!.v)).toEqual(Array.from({ length: 60 }, (_, i) => i));
      expect(pipelineRequests - before).toBeLessThan(20);
      expect(pool.streamsOpened).toBeLessThanOrEqual(2); // poolSize
    });

    test("reads see another client's commit at once: a kept-open stream is in autocommit mode, not a stale snapshot", async () => {
      expect((await pool.execute("SELECT count(*) AS c FROM t")).rows[0]!.c).toBe(0);
      await stock.execute({ sql: "INSERT INTO t VALUES (?, ?)", args: ["other", 1] });
      expect((await pool.execute("SELECT count(*) AS c FROM t")).rows[0]!.c).toBe(1);
    });

    test("a failing batch names its statement, rolls back whole, and leaves the stream usable outside a transaction", async () => {
      const err = await pool.batch([
        { sql: "INSERT INTO t VALUES (?, ?)", args: ["first", 1] },
        { sql: "INSERT INTO t VALUES (?, ?)", args: ["other", 2] }, // duplicate key
      ], "write").catch((e) => e);
      expect(err).toBeInstanceOf(LibsqlBatchError);
      expect((err as LibsqlBatchError).statementIndex).toBe(1);
      expect((await pool.execute("SELECT count(*) AS c FROM t WHERE id = 'first'")).rows[0]!.c).toBe(0);
      // Were the stream left inside the failed transaction, this write would stay invisible to other clients.
      const results = await pool.batch([{ sql: "INSERT INTO t VALUES (?, ?)", args: ["second", 3] }], "write");
      expect(results[0]!.rowsAffected).toBe(1);
      expect((await stock.execute("SELECT n FROM t WHERE id = 'second'")).rows[0]!.n).toBe(3);
    });

    test("a stream idle longer than the server would keep it is replaced before use", async () => {
      const short = new StreamPoolClient({ url }, { poolSize: 1, idleRecycleMs: 50 });
      try {
        await short.execute("SELECT 1");
        await Bun.sleep(120);
        expect((await short.execute("SELECT 2 AS v")).rows[0]!.v).toBe(2);
        expect(short.streamsOpened).toBe(2);
      } finally { short.close(); }
    });
  });

  describe("StreamPoolClient when the server restarts", () => {
    test("calls fail while it is down and work again once it is back, on a fresh stream", async () => {
      const bin = findSqld()!;
      const dir = mkdtempSync(join(tmpdir(), "lastclick-sqld-restart-"));
      const port = 20_000 + Math.floor(Math.random() * 40_000);
      const up = async (): Promise<ChildProcess> => {
        const child = spawn(bin, ["--db-path", join(dir, "data.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"], { stdio: "ignore" });
        for (let i = 0; i < 200; i++) {
          if (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false)) return child;
          await Bun.sleep(50);
        }
        throw new Error("sqld did not start");
      };
      const down = async (child: ChildProcess) => { child.kill("SIGKILL"); if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once("exit", r)); };
      let child = await up();
      const client = new StreamPoolClient({ url: `libsql://127.0.0.1:${port}?tls=0` }, { poolSize: 1 });
      try {
        await client.execute("CREATE TABLE r (n INTEGER)");
        await client.execute("INSERT INTO r VALUES (1)");
        await down(child);
        await expect(client.execute("SELECT count(*) FROM r")).rejects.toThrow();
        child = await up();
        expect((await client.execute("SELECT count(*) AS c FROM r")).rows[0]!.c).toBe(1);
        expect(client.streamFailures).toBeGreaterThanOrEqual(1);
      } finally {
        client.close();
        await down(child);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
