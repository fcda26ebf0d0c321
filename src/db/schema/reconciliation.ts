import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ms } from "./common";

/**
 * A reconciliation report as run (SPEC §9): kept so the console can filter its
 * rows by verdict, download it as CSV and import its "missing here" rows later
 * without the file being uploaded again. Written once, never edited.
 */
export const reconciliationRuns = sqliteTable("reconciliation_runs", {
  id: text("id").primaryKey(),
  integrationId: text("integration_id").notNull(),
  period: text("period").notNull(),
  provider: text("provider").notNull(),
  /** The report as `reconcile` returned it (JSON: mapping, totals, rows). */
  report: text("report").notNull(),
  createdBy: text("created_by"),
  createdAt: ms("created_at").notNull(),
}, (t) => [index("reconciliation_runs_integration").on(t.integrationId, t.createdAt)]);
