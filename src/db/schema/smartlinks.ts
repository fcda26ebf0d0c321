import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { ms } from "./common";
import { programs } from "./programs";
import { publishers } from "./publishers";

/**
 * The published rubric, one row per version (never updated): every PUT adds
 * the next version, so the rubric "as it was on a date" is the last version
 * created before that date's end.
 */
export const rubricVersions = sqliteTable("rubric_versions", {
  version: integer("version").primaryKey(),
  /** Routable threshold in hundredths of a point (7000 = 70.00). */
  thresholdHundredths: integer("threshold_hundredths").notNull(),
  /** JSON array [{key, name, description, weight}], integer weights summing to 100. */
  signals: text("signals").notNull(),
  /** The flat commission every eligible program earns on smart-link conversions (null: each program's own terms). */
  flatCommissionMinor: integer("flat_commission_minor"),
  flatCommissionCurrency: text("flat_commission_currency"),
  actorId: text("actor_id"),
  createdAt: ms("created_at").notNull(),
}, (t) => [index("rubric_versions_created").on(t.createdAt)]);

/** Scores of a program against the signals, one row per change (history kept, never updated). */
export const programScores = sqliteTable("program_scores", {
  id: text("id").primaryKey(),
  programId: text("program_id").notNull().references(() => programs.id),
  /** The rubric version in force when the scores were given. */
  rubricVersion: integer("rubric_version").notNull(),
  /** JSON {signal key: hundredths 0..100} (0.75 -> 75). */
  scores: text("scores").notNull(),
  note: text("note"),
  actorId: text("actor_id"),
  createdAt: ms("created_at").notNull(),
}, (t) => [index("program_scores_program").on(t.programId, t.createdAt)]);

/** A smart link /go/m/{code}: criteria to route on, optionally a publisher to credit. */
export const smartLinks = sqliteTable("smart_links", {
  id: text("id").primaryKey(),
  code: text("code").notNull().unique(),
  /** JSON object {key: string | string[]}, normalised (lower-case values, upper-case countries). */
  criteria: text("criteria").notNull(),
  publisherId: text("publisher_id").references(() => publishers.id),
  /** Whether /m/{code} shows the ranked matches. */
  matchPage: integer("match_page", { mode: "boolean" }).notNull(),
  createdAt: ms("created_at").notNull(),
});
