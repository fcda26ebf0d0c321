import * as hrana from "@libsql/hrana-client";
import { createClient, LibsqlBatchError, LibsqlError, type Client, type Config, type InArgs, type InStatement, type ResultSet, type TransactionMode } from "@libsql/client";
import { expandConfig } from "@libsql/core/config";
import { encodeBaseUrl } from "@libsql/core/uri";
import { ResultSetImpl, transactionModeToBegin } from "@libsql/core/util";

/**
 * A libSQL server client whose `execute` and `batch` run on a few kept-open
 * Hrana streams instead of a new stream per call.
 *
 * Why: sqld gives every Hrana stream its own SQLite connection, and opening
 * one (reading the schema) is most of what a request costs it — measured
 * ~1.2 ms of server CPU for `SELECT 1` on a fresh stream against ~0.4 ms on a
 * kept-open one with this schema. A kept-open stream also pipelines: calls
 * that arrive while one request is out travel together in the next HTTP
 * request (hrana-client queues them), so concurrent postbacks share round
 * trips without any coalescing code of ours.
 *
 * Semantics are the stock client's: a stream outside a batch is in
 * autocommit mode (every statement sees the latest commit), and a batch is
 * BEGIN … COMMIT with a ROLLBACK step when the commit did not happen, so a
 * stream is never left inside a transaction. A stream that fails at the HTTP
 * level is closed by hrana-client and replaced; its calls get the error, as
 * with the stock client (a call that found the stream already closed sent
 * nothing and is retried once on a fresh one). Streams idle for
 * longer than `IDLE_RECYCLE_MS` are replaced before use: sqld expires a stream
 * after 10 s without a request, and an expired baton would fail the next call.
 *
 * `transaction()`, `executeMultiple()` and `migrate()` use the stock client.
 */
const IDLE_RECYCLE_MS = 5_000;

/** A libSQL server client: over HTTP on kept-open streams (StreamPoolClient says why); ws:// URLs get the stock client. */
export function serverClient(url: string, authToken?: string, poolSize?: number): Client {
  return /^(libsql|https?):/.test(url) ? new StreamPoolClient({ url, authToken }, { poolSize }) : createClient({ url, authToken });
}

interface PooledStream { stream: hrana.HttpStream; inFlight: number; lastUsed: number }

export class StreamPoolClient implements Client {
  readonly protocol = "http";
  private readonly hrana: hrana.HttpClient;
  private readonly stock: Client;
  private streams: PooledStream[] = [];
  private isClosed = false;
  /** Streams opened and HTTP-level stream failures seen (each such stream is replaced). Tests look at them. */
  streamsOpened = 0;
  streamFailures = 0;

  private readonly poolSize: number;
  private readonly idleRecycleMs: number;

  constructor(config: Config, opts: { poolSize?: number; idleRecycleMs?: number } = {}) {
    this.poolSize = opts.poolSize ?? 4;
    this.idleRecycleMs = opts.idleRecycleMs ?? IDLE_RECYCLE_MS;
    const expanded = expandConfig(config, true);
    if (expanded.scheme !== "http" && expanded.scheme !== "https") throw new LibsqlError(`StreamPoolClient needs an http(s) or libsql URL, got ${expanded.scheme}:`, "URL_SCHEME_NOT_SUPPORTED");
    this.stock = createClient(config);
    this.hrana = hrana.openHttp(encodeBaseUrl(expanded.scheme, expanded.authority, expanded.path), expanded.authToken, expanded.fetch);
    this.hrana.intMode = expanded.intMode;
  }

  get closed(): boolean { return this.isClosed; }

  /** The least busy open stream; a new one while fewer than poolSize are open and all are busy. */
  private pick(): PooledStream {
    if (this.isClosed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
    const now = Date.now();
    this.streams = this.streams.filter((s) => {
      const stale = s.inFlight === 0 && now - s.lastUsed > this.idleRecycleMs;
      if (stale) s.stream.closeGracefully();
      return !s.stream.closed && !stale;
    });
    let best: PooledStream | undefined;
    for (const s of this.streams) if (!best || s.inFlight < best.inFlight) best = s;
    if (best && (best.inFlight === 0 || this.streams.length >= this.poolSize)) return best;
    const fresh = { stream: this.hrana.openStream(), inFlight: 0, lastUsed: now };
    this.streamsOpened++;
    this.streams.push(fresh);
    return fresh;
  }

  /** Runs `fn` on a pooled stream; once more on a fresh one if that stream had closed before `fn` could send anything. */
  private async onStream<T>(fn: (s: hrana.HttpStream) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const s = this.pick();
      s.inFlight++;
      try {
        return await fn(s.stream);
      } catch (e) {
        if (s.stream.closed) {
          this.streamFailures++;
          // A ClosedError is thrown when a call is queued on a stream that has already closed: nothing was sent.
          if (attempt === 0 && e instanceof hrana.ClosedError) continue;
        }
        throw mapHranaError(e);
      } finally {
        s.inFlight--;
        s.lastUsed = Date.now();
      }
    }
  }

  execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const stmt = typeof stmtOrSql === "string" ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
    return this.onStream(async (stream) => resultSetFromHrana(await stream.query(stmtToHrana(stmt))));
  }

  async batch(stmts: (InStatement | [string, InArgs?])[], mode: TransactionMode = "deferred"): Promise<ResultSet[]> {
    const version = await this.hrana.getVersion().catch((e) => { throw mapHranaError(e); });
    const hranaStmts = stmts.map((s) => stmtToHrana(Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s));
    return this.onStream((stream) => executeBatch(mode, version, stream.batch(version >= 3), hranaStmts));
  }

  migrate(stmts: InStatement[]): Promise<ResultSet[]> { return this.stock.migrate(stmts); }
  transaction(mode?: TransactionMode) { return this.stock.transaction(mode); }
  executeMultiple(sql: string): Promise<void> { return this.stock.executeMultiple(sql); }
  sync(): Promise<never> { throw new LibsqlError("sync not supported in http mode", "SYNC_NOT_SUPPORTED"); }
  reconnect() { return this.stock.reconnect(); }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const s of this.streams) s.stream.closeGracefully();
    this.streams = [];
    this.hrana.close();
    this.stock.close();
  }
}

/** The stock client's batch: BEGIN, each statement only if the previous succeeded, COMMIT, ROLLBACK unless committed. */
async function executeBatch(mode: TransactionMode, version: number, batch: hrana.Batch, stmts: hrana.Stmt[]): Promise<ResultSet[]> {
  const beginStep = batch.step();
  const beginPromise = beginStep.run(transactionModeToBegin(mode));
  let lastStep = beginStep;
  const stmtPromises = stmts.map((s) => {
    const step = batch.step().condition(hrana.BatchCond.ok(lastStep));
    if (version >= 3) step.condition(hrana.BatchCond.not(hrana.BatchCond.isAutocommit(batch)));
    const p = step.query(s);
    p.catch(() => undefined); // read below; silences unhandled-rejection warnings for skipped steps
    lastStep = step;
    return p;
  });
  const commitStep = batch.step().condition(hrana.BatchCond.ok(lastStep));
  if (version >= 3) commitStep.condition(hrana.BatchCond.not(hrana.BatchCond.isAutocommit(batch)));
  const commitPromise = commitStep.run("COMMIT");
  commitPromise.catch(() => undefined);
  batch.step().condition(hrana.BatchCond.not(hrana.BatchCond.ok(commitStep))).run("ROLLBACK").catch(() => undefined);
  await batch.execute();
  await beginPromise;
  const results: ResultSet[] = [];
  for (let i = 0; i < stmtPromises.length; i++) {
    let rows: hrana.RowsResult | undefined;
    try {
      rows = await stmtPromises[i];
    } catch (e) {
      const mapped = mapHranaError(e);
      if (mapped instanceof LibsqlError) throw new LibsqlBatchError(mapped.message, i, mapped.code, mapped.extendedCode, mapped.rawCode, mapped.cause instanceof Error ? mapped.cause : undefined);
      throw mapped;
    }
    if (rows === undefined) throw new LibsqlBatchError("Statement in a batch was not executed, probably because the transaction has been rolled back", i, "TRANSACTION_CLOSED");
    results.push(resultSetFromHrana(rows));
  }
  await commitPromise;
  return results;
}

function stmtToHrana(stmt: InStatement): hrana.Stmt {
  if (typeof stmt === "string") return new hrana.Stmt(stmt);
  const s = new hrana.Stmt(stmt.sql);
  const args = stmt.args;
  if (Array.isArray(args)) s.bindIndexes(args);
  else if (args) for (const [k, v] of Object.entries(args)) s.bindName(k, v);
  return s;
}

function resultSetFromHrana(r: hrana.RowsResult): ResultSet {
  return new ResultSetImpl(r.columnNames.map((c) => c ?? ""), r.columnDecltypes.map((c) => c ?? ""), r.rows, r.affectedRowCount, r.lastInsertRowid);
}

function mapHranaError(e: unknown): unknown {
  if (!(e instanceof hrana.ClientError)) return e;
  return new LibsqlError(e.message, errorCode(e), undefined, undefined, e);
}

function errorCode(e: hrana.ClientError): string {
  if (e instanceof hrana.ResponseError && e.code !== undefined) return e.code;
  if (e instanceof hrana.ProtoError) return "HRANA_PROTO_ERROR";
  if (e instanceof hrana.ClosedError) return e.cause instanceof hrana.ClientError ? errorCode(e.cause) : "HRANA_CLOSED_ERROR";
  if (e instanceof hrana.HttpServerError) return "SERVER_ERROR";
  if (e instanceof hrana.ProtocolVersionError) return "PROTOCOL_VERSION_ERROR";
  if (e instanceof hrana.InternalError) return "INTERNAL_ERROR";
  return "UNKNOWN";
}
