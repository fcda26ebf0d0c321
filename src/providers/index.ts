/**
 * Provider adapters: one module per platform implementing { verify, parse }
 * over the raw request. No database here; the webhook route finds the
 * integration, calls verify before parse, and stores the result.
 */
import { everflow } from "./everflow";
import { generic } from "./generic";
import { impact } from "./impact";
import { refersion } from "./refersion";
import { shopify } from "./shopify";
import type { ProviderAdapter, ProviderName } from "./types";
import { woocommerce } from "./woocommerce";

export * from "./types";

export const ADAPTERS: Record<string, ProviderAdapter> = { refersion, impact, everflow, generic, shopify, woocommerce };

export function getAdapter(name: string): ProviderAdapter | null {
  return Object.hasOwn(ADAPTERS, name) ? ADAPTERS[name as ProviderName]! : null;
}
