import { sqliteTable, text, integer, uniqueIndex, index } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

/** A publisher's postback URL (with macros) for conversion events. */
export const publisherPostbacks = sqliteTable("publisher_postbacks", {
  id: text("id").primaryKey(),
  publisherId: text("publisher_id").notNull(),
  url: text("url").notNull(),
  method: text("method", { enum: ["GET", "POST"] }).notNull(),
  /** JSON array of "conversion.created" | "conversion.approved" | "conversion.reversed". */
  events: text("events").notNull(),
  /** Sealed HMAC key for the X-Lastclick-Signature header on POST bodies. */
  signingSecretSealed: text("signing_secret_sealed"),
  status: text("status", { enum: ["active", "paused"] }).notNull(),
  consecutiveFailures: integer("consecutive_failures").notNull(),
  pausedReason: text("paused_reason"),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
}, (t) => [index("publisher_postbacks_publisher").on(t.publisherId)]);

/** Durable outbox: written in the same transaction as the conversion change. */
export const outbox = sqliteTable("outbox", {
  id: text("id").primaryKey(),
  endpointId: text("endpoint_id").notNull(),
  conversionId: text("conversion_id").notNull(),
  event: text("event").notNull(),
  status: text("status", { enum: ["pending", "sent", "dead"] }).notNull(),
  attempts: integer("attempts").notNull(),
  nextAttemptAt: ms("next_attempt_at").notNull(),
  lastError: text("last_error"),
  createdAt: ms("created_at").notNull(),
  sentAt: ms("sent_at"),
}, (t) => [uniqueIndex("outbox_once").on(t.endpointId, t.conversionId, t.event), index("outbox_due").on(t.status, t.nextAttemptAt),
  // A conversion's detail page lists its deliveries.
  index("outbox_conversion").on(t.conversionId)]);

/** One row per delivery attempt, for the publisher and the operator to see. */
export const deliveryAttempts = sqliteTable("delivery_attempts", {
  id: text("id").primaryKey(),
  outboxId: text("outbox_id").notNull(),
  at: ms("at").notNull(),
  url: text("url").notNull(),
  statusCode: integer("status_code"),
  error: text("error"),
  durationMs: integer("duration_ms").notNull(),
}, (t) => [index("delivery_attempts_outbox").on(t.outboxId)]);
