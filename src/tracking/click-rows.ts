/**
 * The clicks table row as the buffer and its writers see it, and the SQL to
 * insert many at once. Kept free of drizzle and app imports: the writer
 * Worker loads this file too.
 */
export interface ClickRow {
  id: string; approvalId: string; programId: string; publisherId: string; createdAt: number;
  ipHash: string | null; userAgent: string | null; country: string | null; referrer: string | null;
  utmSource: string | null; utmMedium: string | null; utmCampaign: string | null; utmTerm: string | null; utmContent: string | null;
  sub1: string | null; sub2: string | null; sub3: string | null; sub4: string | null; sub5: string | null;
  refCode: string | null; isBot: boolean; botReason: string | null; via: "link" | "vendor" | "smart";
  /** Smart-link clicks: the routing decision stored with the click (null otherwise). */
  smartLinkId: string | null; rubricVersion: number | null; routeScore: number | null; routeCriteria: string | null;
}

/** One row's values in COLUMNS order (what is bound, and what crosses to the writer thread as JSON). */
export type ClickArgs = (string | number | null)[];

/**
 * Work the writer thread may do instead of the request thread: the keyed
 * hash of the client IP and, unless an edge header already gave it, its
 * country. On the way to the writer such a row's args carry two more values
 * after the columns: the IP and 1/0 for "look up the country".
 */
export interface DeferredIp { ip: string | null; country: boolean }
export const CREATED_AT = 4;
export const IP_HASH_AT = 5;
export const COUNTRY_AT = 7;

export const COLUMNS = [
  "id", "approval_id", "program_id", "publisher_id", "created_at", "ip_hash", "user_agent", "country", "referrer",
  "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "sub1", "sub2", "sub3", "sub4", "sub5",
  "ref_code", "is_bot", "bot_reason", "via", "smart_link_id", "rubric_version", "route_score", "route_criteria",
] as const;

export function rowArgs(r: ClickRow): ClickArgs {
  return [r.id, r.approvalId, r.programId, r.publisherId, r.createdAt, r.ipHash, r.userAgent, r.country, r.referrer,
    r.utmSource, r.utmMedium, r.utmCampaign, r.utmTerm, r.utmContent, r.sub1, r.sub2, r.sub3, r.sub4, r.sub5,
    r.refCode, r.isBot ? 1 : 0, r.botReason, r.via, r.smartLinkId, r.rubricVersion, r.routeScore, r.routeCriteria];
}

const ROW_PLACEHOLDERS = `(${COLUMNS.map(() => "?").join(",")})`;

/**
 * Rows per INSERT statement. SQLite allows 32,766 bound values per statement
 * (27 per row), and preparing a statement costs about as much as running it,
 * so the writer keeps one prepared statement per chunk size and splits a
 * flush into chunks of these sizes (largest first) inside one transaction.
 */
export const CHUNK_SIZES = [256, 64, 16, 4, 1] as const;

export function insertSql(rows: number): string {
  return `INSERT INTO clicks (${COLUMNS.join(",")}) VALUES ${Array.from({ length: rows }, () => ROW_PLACEHOLDERS).join(",")} ON CONFLICT(id) DO NOTHING`;
}

/**
 * One INSERT for any number of rows, all in a single bound value: a JSON array
 * of ClickArgs arrays, expanded by the database (json_each). For a libSQL
 * server this is one string to encode and send instead of 27 typed values per
 * row, which made the client's request encoding the costliest part of a click
 * write. JSON keeps each value's type (text, integer, real, null).
 */
export function insertJsonSql(opts: { failOnStoredId?: boolean } = {}): string {
  const insert = `INSERT INTO clicks (${COLUMNS.join(",")}) SELECT ${COLUMNS.map((_, i) => `value->>${i}`).join(",")} FROM json_each(?)`;
  return opts.failOnStoredId ? insert : `${insert} WHERE true ON CONFLICT(id) DO NOTHING`;
}

/** Splits `n` rows into [offset, size] chunks using CHUNK_SIZES, largest first. */
export function chunks(n: number): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (const size of CHUNK_SIZES) {
    while (n - at >= size) { out.push([at, size]); at += size; }
  }
  return out;
}

export const IS_BOT_AT = 20;

/**
 * The report rollups' share of a write (src/db/schema/report-rollups.ts):
 * one upsert per write, run in the write's transaction BEFORE its INSERT, so
 * `NOT EXISTS` counts exactly the clicks the INSERT will add (a replayed click
 * already stored adds nothing; the INSERT skips it too). Its one bound value
 * is rollupJson(rows). Each new human click adds 1 to its UTC hour and day
 * under dims G (program), P (publisher) and X (publisher x program), grouped
 * in SQL so each rollup row is written once per flush.
 */
export const ROLLUP_SQL = `INSERT INTO click_rollups (dim, key1, grain, bucket, key2, clicks)
SELECT d.dim, CASE d.dim WHEN 'X' THEN n.publisher_id ELSE '' END, g.grain, n.t / g.width,
  CASE d.dim WHEN 'P' THEN n.publisher_id ELSE n.program_id END, count(*)
FROM (SELECT DISTINCT value->>0 AS id, value->>1 AS program_id, value->>2 AS publisher_id, value->>3 AS t FROM json_each(?)) AS n
  CROSS JOIN (SELECT 'G' AS dim UNION ALL SELECT 'P' UNION ALL SELECT 'X') AS d
  CROSS JOIN (SELECT 1 AS grain, 3600000 AS width UNION ALL SELECT 2, 86400000) AS g
WHERE NOT EXISTS (SELECT 1 FROM clicks c WHERE c.id = n.id)
GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (dim, key1, grain, bucket, key2) DO UPDATE SET clicks = clicks + excluded.clicks`;

/** [id, program, publisher, created_at] of the human rows as JSON, or null when all are bots (nothing to roll up). */
export function rollupJson(rows: ClickArgs[]): string | null {
  const human: ClickArgs[] = [];
  for (const r of rows) if (!r[IS_BOT_AT]) human.push([r[0]!, r[2]!, r[3]!, Math.trunc(r[CREATED_AT] as number)]);
  return human.length ? JSON.stringify(human) : null;
}

/**
 * The same rollup rows grouped in JS, for a write whose every row is known to
 * be new (the worker checks its INSERT inserted them all, else it redoes the
 * write with ROLLUP_SQL): [dim, key1, grain, bucket, key2, clicks] per row.
 */
export const ROLLUP_GROUPED_SQL = `INSERT INTO click_rollups (dim, key1, grain, bucket, key2, clicks)
SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5 FROM json_each(?) WHERE true
ON CONFLICT (dim, key1, grain, bucket, key2) DO UPDATE SET clicks = clicks + excluded.clicks`;

const HOUR_MS = 3_600_000, DAY_MS = 86_400_000;

export function rollupGroupedJson(rows: ClickArgs[]): string | null {
  const n = new Map<string, number>();
  const add = (k: string) => n.set(k, (n.get(k) ?? 0) + 1);
  for (const r of rows) {
    if (r[IS_BOT_AT]) continue;
    const program = r[2] as string, publisher = r[3] as string, t = Math.trunc(r[CREATED_AT] as number);
    const h = Math.floor(t / HOUR_MS), d = Math.floor(t / DAY_MS);
    // Keys joined by a NUL (no id contains one), split again below.
    add(`G\u0000\u0000${1}\u0000${h}\u0000${program}`); add(`G\u0000\u0000${2}\u0000${d}\u0000${program}`);
    add(`P\u0000\u0000${1}\u0000${h}\u0000${publisher}`); add(`P\u0000\u0000${2}\u0000${d}\u0000${publisher}`);
    add(`X\u0000${publisher}\u0000${1}\u0000${h}\u0000${program}`); add(`X\u0000${publisher}\u0000${2}\u0000${d}\u0000${program}`);
  }
  if (n.size === 0) return null;
  const out: (string | number)[][] = [];
  for (const [k, c] of n) { const [dim, key1, grain, bucket, key2] = k.split("\u0000"); out.push([dim!, key1!, Number(grain), Number(bucket), key2!, c]); }
  return JSON.stringify(out);
}
