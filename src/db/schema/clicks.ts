import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

/**
 * One row per accepted click. The primary key is the UUIDv7 click id (also the
 * cookie and URL value), so inserts append to the index. Kept deliberately
 * free of secondary indexes and foreign keys: this is the hot write path.
 */
export const clicks = sqliteTable("clicks", {
  id: text("id").primaryKey(),
  /**
   * "" (with publisher_id "") only for a smart-link click that credits no
   * publisher: kept NOT NULL so adding smart links did not rebuild this table.
   */
  approvalId: text("approval_id").notNull(),
  programId: text("program_id").notNull(),
  publisherId: text("publisher_id").notNull(),
  createdAt: ms("created_at").notNull(),
  /** Keyed HMAC of the client IP; the raw IP is never stored. */
  ipHash: text("ip_hash"),
  userAgent: text("user_agent"),
  country: text("country"),
  referrer: text("referrer"),
  utmSource: text("utm_source"),
  utmMedium: text("utm_medium"),
  utmCampaign: text("utm_campaign"),
  utmTerm: text("utm_term"),
  utmContent: text("utm_content"),
  sub1: text("sub1"), sub2: text("sub2"), sub3: text("sub3"), sub4: text("sub4"), sub5: text("sub5"),
  refCode: text("ref_code"),
  /** 1 for known bots and link-preview fetchers: redirected, never credited. */
  isBot: integer("is_bot", { mode: "boolean" }).notNull(),
  botReason: text("bot_reason"),
  /** "link" for /go/{slug}, "vendor" for /api/v/{key}, "smart" for /go/m/{code}. */
  via: text("via").notNull(),
  /** Smart-link clicks only: the routing decision (program_id is the program it chose). */
  smartLinkId: text("smart_link_id"),
  rubricVersion: integer("rubric_version"),
  /** The program's total rubric score when routed, in hundredths of a point (7000 = 70.00). */
  routeScore: integer("route_score"),
  /** JSON: the link's criteria plus the visitor's country and device it was routed on. */
  routeCriteria: text("route_criteria"),
});
