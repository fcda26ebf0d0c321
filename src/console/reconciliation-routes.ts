import { listPrograms } from "../network/programs";
import { listIntegrations } from "../integrations/integration-store";
import { reconciliationCsv, type ReconRow } from "../settlement/reconcile";
import { FIELDS, reportHeaders } from "../settlement/reconcile-parse";
import { getReconciliationRun, importRunMissing, listReconciliationRuns, runReconciliation } from "../settlement/reconciliation-runs";
import { AppError } from "../shared/errors";
import { periodOf, PERIOD_RE, previousPeriod } from "../shared/period";
import { reconciliationView, reconReportView, VERDICTS, type ReconciliationView } from "../../views/admin/reconciliation";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { listing } from "./listing";
import { render } from "./pages";

async function integrationLabels(c: ConsoleRequest): Promise<Map<string, string>> {
  const [ints, progs] = await Promise.all([listIntegrations(c.ctx), listPrograms(c.ctx)]);
  const names = new Map(progs.map((p) => [p.id, p.name]));
  return new Map(ints.map((i) => [i.id, `${names.get(i.programId) ?? i.programId} · ${i.provider}${i.mode === "test" ? " (test)" : ""}`]));
}

async function page(c: ConsoleRequest, extra: Partial<ReconciliationView> = {}, status = 200) {
  const [labels, runs] = await Promise.all([integrationLabels(c), listReconciliationRuns(c.ctx, c.auth!.actor)]);
  const zone = c.ctx.config.NETWORK_TIMEZONE;
  return render(c, "Reconciliation", reconciliationView({
    csrf: c.auth!.session.csrfToken, zone, fields: FIELDS, suggested: previousPeriod(periodOf(c.ctx.clock.now(), zone), zone).key,
    integrations: [...labels].map(([id, label]) => ({ id, label })),
    runs: runs.map((r) => ({ ...r, integration: labels.get(r.integration_id) ?? r.integration_id })), ...extra,
  }), status);
}

/** The uploaded file: chosen now, or carried in the mapping form after unknown headers. */
async function uploaded(c: ConsoleRequest): Promise<{ bytes: Uint8Array; name: string } | null> {
  const f = c.files?.file;
  if (f && f.size > 0) return { bytes: new Uint8Array(await f.arrayBuffer()), name: f.name || "report.csv" };
  const b64 = c.form?.get("file_b64");
  if (b64) return { bytes: new Uint8Array(Buffer.from(b64, "base64")), name: (c.form?.get("file_name") ?? "report.csv").slice(0, 200) };
  return null;
}

/** A mapping chosen by hand (map_order_id=Header ...), as the JSON the reconcile verb remembers. */
function handMapping(c: ConsoleRequest): string | undefined {
  const m = Object.fromEntries(FIELDS.map((f) => [f, c.form?.get(`map_${f}`)?.trim()]).filter(([, v]) => v));
  return Object.keys(m).length ? JSON.stringify(m) : undefined;
}

function verdictOf(c: ConsoleRequest): string | null {
  const v = c.url.searchParams.get("verdict");
  return v && (VERDICTS as readonly string[]).includes(v) ? v : null;
}

/** Admin: upload a platform report, see the row-level diff, download it, import "missing here" rows. */
export const reconciliationRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/reconciliation", access: ["admin"], handler: (c) => page(c) },
  { method: "POST", path: "/admin/reconciliation", access: ["admin"], handler: async (c) => {
    const values = Object.fromEntries([...(c.form ?? [])].filter(([k]) => k !== "file_b64" && k !== "_csrf"));
    const integrationId = c.form?.get("integration_id") ?? "";
    const period = (c.form?.get("period") ?? "").trim();
    const errors: Record<string, string[]> = {};
    if (!integrationId) errors.integration_id = ["choose the integration the report is from"];
    if (!PERIOD_RE.test(period)) errors.period = ["must be a month like 2026-11"];
    const file = await uploaded(c);
    if (!file) errors.file = ["attach the platform's report (CSV)"];
    if (Object.keys(errors).length) return page(c, { values, errors }, 422);
    try {
      const run = await runReconciliation(c.ctx, c.auth!.actor, { integrationId, period, mapping: handMapping(c), file: file!.bytes });
      return redirect(c, `/admin/reconciliation/${run.id}`, [flashCookie("ok", `Compared ${run.report.rows_in_file} row(s) of ${file!.name}.`)]);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      const headers = reportHeaders(file!.bytes);
      const unknownHeaders = e.message === "Unknown report headers" && headers.length > 0;
      const fieldErrors = e.fields ?? (e.status === 404 ? { integration_id: [e.message] } : {});
      return page(c, {
        values, errors: unknownHeaders ? { map_order_id: ["choose the column with the order id"] } : fieldErrors,
        error: unknownHeaders ? null : e.fields ? null : e.message,
        mapping: unknownHeaders ? { headers, fileB64: Buffer.from(file!.bytes).toString("base64"), fileName: file!.name } : null,
      }, 422);
    }
  } },
  { method: "GET", path: "/admin/reconciliation/{id}", access: ["admin"], handler: async (c) => {
    const run = await getReconciliationRun(c.ctx, c.auth!.actor, c.params.id!);
    const verdict = verdictOf(c);
    const rows = verdict ? run.report.rows.filter((r) => r.verdict === verdict) : run.report.rows;
    if (c.url.searchParams.get("format") === "csv") {
      const csv = reconciliationCsv(rows);
      return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="reconciliation-${run.report.provider}-${run.report.period}.csv"`, "cache-control": "no-store" } });
    }
    const l = listing<ReconRow>(c, rows, {});
    const labels = await integrationLabels(c);
    return render(c, `Reconciliation ${run.report.period}`, reconReportView({
      run, integration: labels.get(run.report.integration_id) ?? run.report.integration_id, rows: l.rows, total: l.total, nextCursor: l.nextCursor,
      state: { path: `/admin/reconciliation/${run.id}`, params: c.url.searchParams }, csrf: c.auth!.session.csrfToken, zone: c.ctx.config.NETWORK_TIMEZONE, verdict,
    }));
  } },
  { method: "POST", path: "/admin/reconciliation/{id}/import", access: ["admin"], handler: async (c) => {
    const r = await importRunMissing(c.ctx, c.auth!.actor, c.params.id!);
    const text = `${r.created} conversion(s) imported as pending, ${r.duplicate} already on file, ${r.rejected} rejected${r.rejected ? `: ${r.results.find((x) => x.status === "rejected")?.message ?? ""}` : ""}.`;
    return redirect(c, `/admin/reconciliation/${c.params.id}?verdict=missing_here`, [flashCookie(r.rejected ? "error" : "ok", text)]);
  } },
];
