import { and, desc, eq } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { programs, reconciliationRuns } from "../db/schema";
import { getIntegrationRow } from "../integrations/integration-store";
import { Forbidden, NotFound } from "../shared/errors";
import { uuidv7 } from "../shared/ids";
import { queueMail } from "../mail/outbox";
import { importMissing, reconcile, type ReconRow } from "./reconcile";

export type ReconReport = Awaited<ReturnType<typeof reconcile>>;
export interface ReconRun { id: string; created_at: number; report: ReconReport }

const adminOnly = (actor: Actor) => {
  if (actor.type !== "admin" && actor.type !== "system") throw new Forbidden("Reconciliation is for the network");
};

/** Runs a reconciliation (the one `reconcile` verb) and keeps its report for the console. */
export async function runReconciliation(ctx: AppContext, actor: Actor, input: Parameters<typeof reconcile>[2]): Promise<ReconRun> {
  adminOnly(actor);
  const report = await reconcile(ctx, actor, input);
  const now = ctx.clock.now();
  const id = uuidv7(now);
  const { contactEmail } = await getIntegrationRow(ctx, report.integration_id);
  const t = report.totals as Record<string, number>;
  const off = report.rows.length - (t.matched ?? 0);
  await ctx.db.batch([
    ctx.db.insert(reconciliationRuns).values({
      id, integrationId: report.integration_id, period: report.period, provider: report.provider, report: JSON.stringify(report),
      createdBy: actor.id, createdAt: now,
    }),
    // With SMTP_URL and a contact email, the report (CSV attached at send time) goes out from the outbox.
    ...queueMail(ctx, {
      kind: "reconciliation", refId: id, to: contactEmail, subject: `Reconciliation ${report.provider} ${report.period}: ${t.matched ?? 0} matched, ${off} to check`,
      body: `The ${report.provider} report for ${report.period} was reconciled row by row against our conversions.\n\n`
        + Object.entries(t).map(([verdict, n]) => `${verdict}: ${n}`).join("\n") + `\n\nThe attached CSV lists every row with its verdict.`,
    }, now),
  ]);
  return { id, created_at: now, report };
}

export async function getReconciliationRun(ctx: AppContext, actor: Actor, id: string): Promise<ReconRun> {
  adminOnly(actor);
  const [row] = await ctx.db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, id));
  if (!row) throw new NotFound("Reconciliation report not found");
  return { id: row.id, created_at: row.createdAt, report: JSON.parse(row.report) };
}

/** The latest runs (newest first), optionally of one integration. */
export async function listReconciliationRuns(ctx: AppContext, actor: Actor, filter: { integrationId?: string; period?: string } = {}, limit = 50) {
  adminOnly(actor);
  const rows = await ctx.db.select({
    id: reconciliationRuns.id, integrationId: reconciliationRuns.integrationId, period: reconciliationRuns.period,
    provider: reconciliationRuns.provider, createdAt: reconciliationRuns.createdAt, report: reconciliationRuns.report,
  }).from(reconciliationRuns).where(and(
    filter.integrationId ? eq(reconciliationRuns.integrationId, filter.integrationId) : undefined,
    filter.period ? eq(reconciliationRuns.period, filter.period) : undefined,
  )).orderBy(desc(reconciliationRuns.createdAt), desc(reconciliationRuns.id)).limit(limit);
  return rows.map((r) => {
    const rep = JSON.parse(r.report) as ReconReport;
    return { id: r.id, integration_id: r.integrationId, period: r.period, provider: r.provider, created_at: r.createdAt, rows_in_file: rep.rows_in_file, totals: rep.totals };
  });
}

/**
 * Imports a stored report's "missing here" rows through `importMissing` (the
 * one recording path; idempotent per order id, so a second click imports
 * nothing twice). Rows without a currency take the program's.
 */
export async function importRunMissing(ctx: AppContext, actor: Actor, runId: string) {
  const run = await getReconciliationRun(ctx, actor, runId);
  const integration = await getIntegrationRow(ctx, run.report.integration_id);
  const [program] = await ctx.db.select({ currency: programs.currency }).from(programs).where(eq(programs.id, integration.programId));
  const missing = run.report.rows.filter((r: ReconRow) => r.verdict === "missing_here" && r.theirs?.amount);
  if (missing.length === 0) return { created: 0, duplicate: 0, rejected: 0, results: [] };
  const out = { created: 0, duplicate: 0, rejected: 0, results: [] as Awaited<ReturnType<typeof importMissing>>["results"] };
  for (let i = 0; i < missing.length; i += 1000) {
    const r = await importMissing(ctx, actor, {
      integration_id: integration.id,
      rows: missing.slice(i, i + 1000).map((m) => ({ order_id: m.order_id, amount: m.theirs!.amount!, currency: m.theirs!.currency ?? program?.currency ?? "USD", commission: m.theirs!.commission })),
    });
    out.created += r.created; out.duplicate += r.duplicate; out.rejected += r.rejected; out.results.push(...r.results);
  }
  return out;
}
