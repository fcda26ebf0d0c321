import { inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { z } from "zod";
import { SYSTEM, type Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, settings } from "../db/schema";
import { auditValues } from "../audit/audit";

const line = z.string().trim().max(200);
/** USD wire details printed on brand invoices. */
export const wireBody = z.strictObject({ bank_name: line.min(1), account_name: line.min(1), account_number: line.min(1), swift: line.optional(), bank_address: line.optional() });
/** ACH details printed on brand invoices. */
export const achBody = z.strictObject({
  bank_name: line.min(1), account_name: line.min(1),
  routing_number: z.string().trim().regex(/^\d{9}$/, "must be 9 digits"), account_number: z.string().trim().regex(/^\d{4,17}$/, "must be 4 to 17 digits"),
});
export type WireDetails = z.infer<typeof wireBody>;
export type AchDetails = z.infer<typeof achBody>;

/**
 * The one set of network settings (SPEC §8, §9), kept in the settings table and
 * written by the console settings page and PUT /api/admin/network-settings alike.
 * Legal details, email and wire/ACH details print on invoices and statements;
 * `timezone` is the network timezone (default: NETWORK_TIMEZONE); `defaultFeePct`
 * prefills new programs; `payoutThreshold` (a decimal in each payout's currency)
 * is what the monthly close and the publisher overview compare balances with.
 */
export interface NetworkSettings {
  networkName: string;
  openSignup: boolean;
  legalName: string;
  legalAddress: string;
  taxId: string;
  email: string;
  wire: WireDetails | null;
  ach: AchDetails | null;
  timezone: string;
  defaultFeePct: string;
  payoutThreshold: string;
}

const KEYS = {
  networkName: "network_name", openSignup: "open_signup", legalName: "legal_name", legalAddress: "legal_address",
  taxId: "tax_id", email: "network_email", wire: "bank_wire", ach: "bank_ach", timezone: "timezone", defaultFeePct: "default_fee_pct", payoutThreshold: "payout_threshold",
} as const satisfies Record<keyof NetworkSettings, string>;
/** The settlement API's former JSON row; read only for fields not yet written under their own key. */
const LEGACY_KEY = "network";
const LEGACY: Partial<Record<keyof NetworkSettings, string>> = {
  networkName: "name", legalName: "legal_name", legalAddress: "address", taxId: "tax_id", email: "email", payoutThreshold: "payout_threshold", wire: "wire", ach: "ach",
};
export const DEFAULT_NETWORK_NAME = "Lastclick";
export const DEFAULT_FEE_PCT = "20";
export const DEFAULT_PAYOUT_THRESHOLD = "50.00";

const parseJson = <T>(v: string | undefined): T | null => { if (!v) return null; try { return JSON.parse(v) as T; } catch { return null; } };

export async function getNetworkSettings(ctx: AppContext): Promise<NetworkSettings> {
  const rows = await ctx.db.select().from(settings).where(inArray(settings.key, [...Object.values(KEYS), LEGACY_KEY]));
  const legacy = parseJson<Record<string, unknown>>(rows.find((r) => r.key === LEGACY_KEY)?.value) ?? {};
  const own = (name: keyof NetworkSettings) => rows.find((r) => r.key === KEYS[name])?.value;
  const str = (name: keyof NetworkSettings): string | undefined => {
    const v = own(name);
    if (v !== undefined) return v;
    const old = LEGACY[name] ? legacy[LEGACY[name]!] : undefined;
    return typeof old === "string" ? old : undefined;
  };
  const obj = <T>(name: "wire" | "ach"): T | null => {
    const v = own(name);
    if (v !== undefined) return parseJson<T>(v);
    const old = legacy[LEGACY[name]!];
    return old && typeof old === "object" ? old as T : null;
  };
  return {
    networkName: str("networkName") || DEFAULT_NETWORK_NAME, openSignup: own("openSignup") === "on",
    legalName: str("legalName") ?? "", legalAddress: str("legalAddress") ?? "", taxId: str("taxId") ?? "", email: str("email") ?? "",
    wire: obj<WireDetails>("wire"), ach: obj<AchDetails>("ach"), timezone: own("timezone") || ctx.config.NETWORK_TIMEZONE,
    defaultFeePct: own("defaultFeePct") || DEFAULT_FEE_PCT, payoutThreshold: str("payoutThreshold") || DEFAULT_PAYOUT_THRESHOLD,
  };
}

const serialize = (v: NetworkSettings[keyof NetworkSettings]) =>
  typeof v === "boolean" ? (v ? "on" : "off") : v === null ? "" : typeof v === "object" ? JSON.stringify(v) : v;

/** Writes the given settings and one audit row (who, which keys, before and after) in one transaction. */
export async function putNetworkSettings(ctx: AppContext, change: Partial<NetworkSettings>, actor: Actor = SYSTEM): Promise<NetworkSettings> {
  const before = await getNetworkSettings(ctx);
  const writes: { key: string; value: string }[] = [];
  const changed: Partial<Record<keyof NetworkSettings, { before: unknown; after: unknown }>> = {};
  for (const [name, value] of Object.entries(change) as [keyof NetworkSettings, NetworkSettings[keyof NetworkSettings]][]) {
    if (value === undefined) continue;
    writes.push({ key: KEYS[name], value: serialize(value) });
    if (serialize(before[name]) !== serialize(value)) changed[name] = { before: before[name], after: value };
  }
  if (writes.length === 0) return before;
  const now = ctx.clock.now();
  const statements: BatchItem<"sqlite">[] = writes.map((w) => ctx.db.insert(settings).values(w).onConflictDoUpdate({ target: settings.key, set: { value: w.value } }));
  statements.push(ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "settings.updated", entityType: "settings", entityId: "network", data: changed })));
  await ctx.db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return getNetworkSettings(ctx);
}
