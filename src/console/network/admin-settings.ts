import { z } from "zod";
import { listFxRates, putFxRate, putFxRateBody } from "../../network/fx-rates";
import { requireAdmin } from "../../network/actor-scope";
import { zodFields } from "../../api/body";
import { AppError, type FieldErrors } from "../../shared/errors";
import { MoneyParseError, parseDecimal, parsePercentToBps } from "../../shared/money";
import { isTimeZone } from "../../shared/zoned-time";
import { achBody, getNetworkSettings, putNetworkSettings, wireBody } from "../../settings/network-settings";
import { fxRatesView, networkSettingsView, type FxItem } from "../../../views/network/settings";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "../http";
import { parseForm } from "../forms";
import { render } from "../pages";
import { listFilters, listRows } from "./list";

async function fxPage(c: ConsoleRequest, extra: { values?: Record<string, string>; errors?: FieldErrors } = {}, status = 200) {
  const rows: FxItem[] = (await listFxRates(c.ctx)).map((r) => ({ base: r.base, quote: r.quote, rate: r.rate, updated_ms: Date.parse(r.updated_at!) }));
  const l = listRows(c, rows, {
    sorts: { pair: (r) => `${r.base}/${r.quote}`, updated: (r) => r.updated_ms }, defaultSort: "pair", date: (r) => r.updated_ms, search: (r) => `${r.base} ${r.quote}`,
    csv: { filename: "fx-rates", columns: [["base", (r) => r.base], ["quote", (r) => r.quote], ["rate", (r) => r.rate], ["updated_at", (r) => new Date(r.updated_ms).toISOString()]] },
  });
  if (l.csv) return l.csv;
  return render(c, "FX rates", fxRatesView({ ...l, filters: listFilters(c, { dates: true, search: "Currency" }), csrf: c.auth!.session.csrfToken, tz: c.network.timezone, ...extra }), status);
}

const decimal = (check: (v: string) => void) => z.string().trim().superRefine((v, ctx) => {
  try { check(v); } catch (e) { if (e instanceof MoneyParseError) ctx.addIssue({ code: "custom", message: e.message }); else throw e; }
});
const settingsForm = z.object({
  network_name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  timezone: z.string().trim().refine(isTimeZone, "must be an IANA timezone such as Europe/Berlin or UTC"),
  open_signup: z.string().optional().transform((v) => v === "on"),
  default_fee_pct: decimal((v) => parsePercentToBps(v)),
  payout_threshold: decimal((v) => { const d = parseDecimal(v); if (d.units < 0n) throw new MoneyParseError("must not be negative"); if (d.scale > 3) throw new MoneyParseError("allows at most three decimal places"); }),
  legal_name: z.string().trim().max(200, "must be at most 200 characters"),
  tax_id: z.string().trim().max(64, "must be at most 64 characters"),
  legal_address: z.string().trim().max(1000, "must be at most 1000 characters"),
  email: z.union([z.literal(""), z.email("must be an email address").max(254, "must be at most 254 characters")]).optional().default(""),
});

/**
 * The optional wire or ACH block of the form (`wire_bank_name`, ...): null when
 * every field is blank, otherwise checked as a whole with errors keyed by field.
 */
function bankBlock<S extends z.ZodType>(prefix: "wire" | "ach", schema: S, form: URLSearchParams | null, fields: string[]): { ok: true; data: z.infer<S> | null } | { ok: false; errors: FieldErrors } {
  const raw = Object.fromEntries(fields.map((f) => [f, (form?.get(`${prefix}_${f}`) ?? "").trim()]));
  if (Object.values(raw).every((v) => v === "")) return { ok: true, data: null };
  const r = schema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "")));
  if (r.success) return { ok: true, data: r.data };
  return { ok: false, errors: Object.fromEntries(Object.entries(zodFields(r.error)).map(([k, v]) => [`${prefix}_${k}`, v])) };
}
export const WIRE_FIELDS = ["bank_name", "account_name", "account_number", "swift", "bank_address"];
export const ACH_FIELDS = ["bank_name", "account_name", "routing_number", "account_number"];

async function settingsPage(c: ConsoleRequest, extra: { values?: Record<string, string>; errors?: FieldErrors } = {}, status = 200) {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return render(c, "Settings", networkSettingsView({ s: await getNetworkSettings(c.ctx), csrf: c.auth!.session.csrfToken, zones, ...extra }), status);
}

const values = (c: ConsoleRequest) => Object.fromEntries([...(c.form ?? [])].filter(([k]) => k !== "_csrf"));

/** Admin: FX rates (exact decimals) and the network settings (audited). */
export const adminSettingsRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/fx-rates", access: ["admin"], handler: (c) => fxPage(c) },
  { method: "POST", path: "/admin/fx-rates", access: ["admin"], handler: async (c) => {
    const v = values(c);
    const body = { base: (v.base ?? "").trim(), quote: (v.quote ?? "").trim(), rate: (v.rate ?? "").trim() };
    const r = putFxRateBody.safeParse(body);
    if (!r.success) return fxPage(c, { values: v, errors: zodFields(r.error) }, 422);
    try {
      const saved = await putFxRate(c.ctx, c.auth!.actor, r.data);
      return redirect(c, "/admin/fx-rates", [flashCookie("ok", `Saved: 1 ${saved.base} = ${saved.rate} ${saved.quote}.`)]);
    } catch (e) {
      if (!(e instanceof AppError) || e.status !== 422) throw e;
      return fxPage(c, { values: v, errors: e.fields }, 422);
    }
  } },
  { method: "GET", path: "/admin/settings", access: ["admin"], handler: (c) => settingsPage(c) },
  { method: "POST", path: "/admin/settings", access: ["admin"], handler: async (c) => {
    requireAdmin(c.auth!.actor);
    const f = parseForm(settingsForm, c.form);
    const wire = bankBlock("wire", wireBody, c.form, WIRE_FIELDS);
    const ach = bankBlock("ach", achBody, c.form, ACH_FIELDS);
    if (!f.ok || !wire.ok || !ach.ok) {
      return settingsPage(c, { values: values(c), errors: { ...(f.ok ? {} : f.errors), ...(wire.ok ? {} : wire.errors), ...(ach.ok ? {} : ach.errors) } }, 422);
    }
    const d = f.data;
    await putNetworkSettings(c.ctx, {
      networkName: d.network_name, timezone: d.timezone, openSignup: d.open_signup, defaultFeePct: d.default_fee_pct, payoutThreshold: d.payout_threshold,
      legalName: d.legal_name, taxId: d.tax_id, legalAddress: d.legal_address, email: d.email, wire: wire.data, ach: ach.data,
    }, c.auth!.actor);
    return redirect(c, "/admin/settings", [flashCookie("ok", "Settings saved.")]);
  } },
];
