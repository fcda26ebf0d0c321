import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { Range } from "./periods";

/**
 * SQL conditions for the rows an actor may count, decided here for every
 * report (the pages never filter). Test conversions are never in figures.
 */
export function conversionWhere(actor: Actor, range: Range, alias = "v"): SQL {
  const a = sql.raw(alias);
  const time = sql`${a}.created_at >= ${range.start} AND ${a}.created_at < ${range.end} AND ${a}.is_test = 0`;
  switch (actor.type) {
    // The status IN list lets the admin's range use the (status, created_at) index: one range scan per status.
    case "admin": case "system": case "integration":
      return sql`${a}.status IN ('pending', 'approved', 'paid', 'reversed') AND ${time}`;
    case "brand": return sql`${a}.brand_id = ${actor.brandId} AND ${time}`;
    case "publisher": return sql`${a}.publisher_id = ${actor.publisherId} AND ${time}`;
  }
}

/** The smallest UUIDv7 of a millisecond: click ids are time-ordered, so the primary key serves as the time index. */
export function uuidv7Floor(t: number): string {
  const ts = Math.max(0, t).toString(16).padStart(12, "0").slice(-12);
  return `${ts.slice(0, 8)}-${ts.slice(8)}-0000-0000-000000000000`;
}

/**
 * Human clicks an actor may count. The clicks table has no secondary index (hot
 * write path); its UUIDv7 key starts with the click's millisecond, and an id is
 * never older than its created_at (the generator only moves forward), so
 * `id >= floor(start)` bounds the scan from below and created_at decides exactly.
 */
export function clickWhere(actor: Actor, range: Range, alias = "c"): SQL {
  const a = sql.raw(alias);
  const time = sql`${a}.id >= ${uuidv7Floor(range.start)} AND ${a}.created_at >= ${range.start} AND ${a}.created_at < ${range.end} AND ${a}.is_bot = 0`;
  switch (actor.type) {
    case "admin": case "system": case "integration": return time;
    case "brand": return sql`${time} AND ${a}.program_id IN (SELECT id FROM programs WHERE brand_id = ${actor.brandId})`;
    case "publisher": return sql`${time} AND ${a}.publisher_id = ${actor.publisherId}`;
  }
}

export type Role = "admin" | "brand" | "publisher";
/** The console role of an actor (tokens and the system count as the network). */
export function roleOf(actor: Actor): Role {
  return actor.type === "brand" ? "brand" : actor.type === "publisher" ? "publisher" : "admin";
}
