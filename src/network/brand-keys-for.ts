import type { Actor } from "../auth/authenticate";
import { brandOf } from "../auth/party-scope";
import type { AppContext } from "../context";
import { createBrandApiKey, getBrand, listBrandApiKeys, revokeBrandApiKey } from "./brands";

/**
 * Brand API keys as an actor may handle them: the network any brand's (named),
 * a brand user only its own brand's; another brand's id is a 404.
 */
function ownBrand(actor: Actor, requested?: string): string {
  const brandId = brandOf(actor, requested);
  if (!brandId) throw new Error("brandOf: an admin must name the brand");
  return brandId;
}

export async function listKeysFor(ctx: AppContext, actor: Actor, brandId?: string) {
  const id = ownBrand(actor, brandId);
  const [brand, keys] = await Promise.all([getBrand(ctx, id), listBrandApiKeys(ctx, id)]);
  return { brand: { id: brand.id, name: brand.name }, keys };
}

export function createKeyFor(ctx: AppContext, actor: Actor, mode: "live" | "test", brandId?: string) {
  return createBrandApiKey(ctx, actor, ownBrand(actor, brandId), mode);
}

export function revokeKeyFor(ctx: AppContext, actor: Actor, keyId: string, brandId?: string) {
  return revokeBrandApiKey(ctx, actor, ownBrand(actor, brandId), keyId);
}
