import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { ms } from "./common";
import { brands } from "./brands";
import { publishers } from "./publishers";

export const USER_ROLES = ["admin", "brand", "publisher"] as const;
export const USER_STATUSES = ["active", "pending", "disabled"] as const;

/**
 * Console accounts. `email` is stored trimmed and lower-cased, so the unique
 * index makes addresses unique case-insensitively. A brand user has brand_id,
 * a publisher user publisher_id (checked by the verbs that write them).
 * password_hash is an argon2id PHC string, null until the invite is accepted.
 */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  role: text("role", { enum: USER_ROLES }).notNull(),
  brandId: text("brand_id").references(() => brands.id),
  publisherId: text("publisher_id").references(() => publishers.id),
  passwordHash: text("password_hash"),
  status: text("status", { enum: USER_STATUSES }).notNull(),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
  lastLoginAt: ms("last_login_at"),
});

/** One-time invite (or password reset) links: only a SHA-256 of the token is stored. */
export const userInvites = sqliteTable("user_invites", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: ms("created_at").notNull(),
  expiresAt: ms("expires_at").notNull(),
  usedAt: ms("used_at"),
}, (t) => [index("user_invites_user").on(t.userId)]);

/**
 * Server-side sessions. The id is a SHA-256 of the random token in the
 * cookie, so a read of this table cannot be replayed as a cookie.
 */
export const sessions = sqliteTable("sessions", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  csrfToken: text("csrf_token").notNull(),
  createdAt: ms("created_at").notNull(),
  lastSeenAt: ms("last_seen_at").notNull(),
  expiresAt: ms("expires_at").notNull(),
}, (t) => [index("sessions_user").on(t.userId)]);

/**
 * Failed-login counters per key ("account:<email>" or "ip:<hash>"); a row is
 * the current streak of failures, removed on a successful login.
 */
export const loginThrottle = sqliteTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lastFailureAt: ms("last_failure_at").notNull(),
  lockedUntil: ms("locked_until"),
});
