import { inArray } from "drizzle-orm";
import type { AppContext } from "../context";
import { settings } from "../db/schema";

/** Network settings an admin changes in the console, kept in the settings table. */
export interface NetworkSettings {
  networkName: string; openSignup: boolean;
  /** Approved earnings a publisher needs before a payout, as a decimal in each balance's own currency. */
  payoutThreshold: string;
}

const KEYS = { networkName: "network_name", openSignup: "open_signup", payoutThreshold: "payout_threshold" } as const;
export const DEFAULT_NETWORK_NAME = "Lastclick";
export const DEFAULT_PAYOUT_THRESHOLD = "50.00";

export async function getNetworkSettings(ctx: AppContext): Promise<NetworkSettings> {
  const rows = await ctx.db.select().from(settings).where(inArray(settings.key, Object.values(KEYS)));
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  return { networkName: get(KEYS.networkName) || DEFAULT_NETWORK_NAME, openSignup: get(KEYS.openSignup) === "on", payoutThreshold: get(KEYS.payoutThreshold) || DEFAULT_PAYOUT_THRESHOLD };
}

export async function putNetworkSettings(ctx: AppContext, change: Partial<NetworkSettings>): Promise<NetworkSettings> {
  const writes: { key: string; value: string }[] = [];
  if (change.networkName !== undefined) writes.push({ key: KEYS.networkName, value: change.networkName });
  if (change.openSignup !== undefined) writes.push({ key: KEYS.openSignup, value: change.openSignup ? "on" : "off" });
  if (change.payoutThreshold !== undefined) writes.push({ key: KEYS.payoutThreshold, value: change.payoutThreshold });
  for (const w of writes) {
    await ctx.db.insert(settings).values(w).onConflictDoUpdate({ target: settings.key, set: { value: w.value } });
  }
  return getNetworkSettings(ctx);
}

