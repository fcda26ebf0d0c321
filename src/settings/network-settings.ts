import { inArray } from "drizzle-orm";
import type { AppContext } from "../context";
import { settings } from "../db/schema";

/** Network settings an admin changes in the console, kept in the settings table. */
export interface NetworkSettings { networkName: string; openSignup: boolean }

const KEYS = { networkName: "network_name", openSignup: "open_signup" } as const;
export const DEFAULT_NETWORK_NAME = "Lastclick";

export async function getNetworkSettings(ctx: AppContext): Promise<NetworkSettings> {
  const rows = await ctx.db.select().from(settings).where(inArray(settings.key, Object.values(KEYS)));
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  return { networkName: get(KEYS.networkName) || DEFAULT_NETWORK_NAME, openSignup: get(KEYS.openSignup) === "on" };
}

export async function putNetworkSettings(ctx: AppContext, change: Partial<NetworkSettings>): Promise<NetworkSettings> {
  const writes: { key: string; value: string }[] = [];
  if (change.networkName !== undefined) writes.push({ key: KEYS.networkName, value: change.networkName });
  if (change.openSignup !== undefined) writes.push({ key: KEYS.openSignup, value: change.openSignup ? "on" : "off" });
  for (const w of writes) {
    await ctx.db.insert(settings).values(w).onConflictDoUpdate({ target: settings.key, set: { value: w.value } });
  }
  return getNetworkSettings(ctx);
}

