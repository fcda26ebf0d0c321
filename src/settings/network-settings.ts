import { inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { SYSTEM, type Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, settings } from "../db/schema";
import { auditValues } from "../audit/audit";

/**
 * Network settings an admin changes in the console, kept in the settings table.
 * Legal details print on brand invoices; `timezone` is the network timezone for
 * dates in the console (default: NETWORK_TIMEZONE); `defaultFeePct` prefills new
 * programs; `payoutThreshold` is a decimal in each payout's currency.
 */
export interface NetworkSettings {
  networkName: string;
  openSignup: boolean;
  legalName: string;
  legalAddress: string;
  taxId: string;
  bankDetails: string;
  timezone: string;
  defaultFeePct: string;
  payoutThreshold: string;
}

const KEYS = {
  networkName: "network_name", openSignup: "open_signup", legalName: "legal_name", legalAddress: "legal_address",
  taxId: "tax_id", bankDetails: "bank_details", timezone: "timezone", defaultFeePct: "default_fee_pct", payoutThreshold: "payout_threshold",
} as const satisfies Record<keyof NetworkSettings, string>;
export const DEFAULT_NETWORK_NAME = "Lastclick";
export const DEFAULT_FEE_PCT = "20";
export const DEFAULT_PAYOUT_THRESHOLD = "50.00";

export async function getNetworkSettings(ctx: AppContext): Promise<NetworkSettings> {
  const rows = await ctx.db.select().from(settings).where(inArray(settings.key, Object.values(KEYS)));
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  return {
    networkName: get(KEYS.networkName) || DEFAULT_NETWORK_NAME, openSignup: get(KEYS.openSignup) === "on",
    legalName: get(KEYS.legalName) ?? "", legalAddress: get(KEYS.legalAddress) ?? "", taxId: get(KEYS.taxId) ?? "",
    bankDetails: get(KEYS.bankDetails) ?? "", timezone: get(KEYS.timezone) || ctx.config.NETWORK_TIMEZONE,
    defaultFeePct: get(KEYS.defaultFeePct) || DEFAULT_FEE_PCT, payoutThreshold: get(KEYS.payoutThreshold) || DEFAULT_PAYOUT_THRESHOLD,
  };
}

/** Writes the given settings and one audit row (who, which keys, before and after) in one transaction. */
export async function putNetworkSettings(ctx: AppContext, change: Partial<NetworkSettings>, actor: Actor = SYSTEM): Promise<NetworkSettings> {
  const before = await getNetworkSettings(ctx);
  const writes: { key: string; value: string }[] = [];
  const changed: Partial<Record<keyof NetworkSettings, { before: unknown; after: unknown }>> = {};
  for (const [name, value] of Object.entries(change) as [keyof NetworkSettings, string | boolean][]) {
    if (value === undefined) continue;
    writes.push({ key: KEYS[name], value: typeof value === "boolean" ? (value ? "on" : "off") : value });
    if (before[name] !== value) changed[name] = { before: before[name], after: value };
  }
  if (writes.length === 0) return before;
  const now = ctx.clock.now();
  const statements: BatchItem<"sqlite">[] = writes.map((w) => ctx.db.insert(settings).values(w).onConflictDoUpdate({ target: settings.key, set: { value: w.value } }));
  statements.push(ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "settings.updated", entityType: "settings", entityId: "network", data: changed })));
  await ctx.db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return getNetworkSettings(ctx);
}
