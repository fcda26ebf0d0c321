import { insertChange } from "../changes/write-change";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import { hashSecret, newSecret } from "../auth/secrets";
import type { AppContext } from "../context";
import { brandApiKeys, brands } from "../db/schema";
import { auditValues, auditWhenChanged } from "../audit/audit";
import { auditLog } from "../db/schema";
import { NotFound } from "../shared/errors";
import { uuidv7 } from "../shared/ids";

import { iso } from "../shared/time";

export async function createBrand(ctx: AppContext, actor: Actor, input: { name: string }) {
  const now = ctx.clock.now();
  const row = { id: uuidv7(now), name: input.name, createdAt: now, updatedAt: now };
  await ctx.db.batch([
    ctx.db.insert(brands).values(row),
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "brand.created", entityType: "brand", entityId: row.id, data: { name: row.name } })),
  ]);
  return serializeBrand(row);
}

export async function getBrand(ctx: AppContext, id: string) {
  const [row] = await ctx.db.select().from(brands).where(eq(brands.id, id));
  if (!row) throw new NotFound("Brand not found");
  return row;
}

export async function listBrands(ctx: AppContext) {
  return (await ctx.db.select().from(brands).orderBy(desc(brands.createdAt))).map(serializeBrand);
}

export function serializeBrand(b: typeof brands.$inferSelect) {
  return { id: b.id, name: b.name, created_at: iso(b.createdAt) };
}

/** Creates a key; the clear key is returned once and only its hash is kept. */
export async function createBrandApiKey(ctx: AppContext, actor: Actor, brandId: string, mode: "live" | "test") {
  await getBrand(ctx, brandId);
  const now = ctx.clock.now();
  const key = newSecret(mode === "live" ? "lc_live_" : "lc_test_");
  const row = { id: uuidv7(now), brandId, mode, keyHash: hashSecret(key), prefix: key.slice(0, 12), createdAt: now };
  await ctx.db.batch([
    ctx.db.insert(brandApiKeys).values(row),
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "api_key.created", entityType: "brand", entityId: brandId, data: { key_id: row.id, mode } })),
  ]);
  return { id: row.id, brand_id: brandId, mode, key, prefix: row.prefix, created_at: iso(now) };
}

export async function listBrandApiKeys(ctx: AppContext, brandId: string) {
  await getBrand(ctx, brandId);
  const rows = await ctx.db.select().from(brandApiKeys).where(eq(brandApiKeys.brandId, brandId)).orderBy(desc(brandApiKeys.createdAt));
  return rows.map((k) => ({ id: k.id, mode: k.mode, prefix: k.prefix, created_at: iso(k.createdAt), revoked_at: iso(k.revokedAt) }));
}

export async function revokeBrandApiKey(ctx: AppContext, actor: Actor, brandId: string, keyId: string) {
  const now = ctx.clock.now();
  // The feed row tells other instances to drop their cached key (harmless if nothing was revoked).
  const [updated] = await ctx.db.batch([
    ctx.db.update(brandApiKeys).set({ revokedAt: now })
      .where(and(eq(brandApiKeys.id, keyId), eq(brandApiKeys.brandId, brandId), isNull(brandApiKeys.revokedAt))).returning(),
    auditWhenChanged(ctx.db, { actor, at: now, action: "api_key.revoked", entityType: "brand", entityId: brandId, data: { key_id: keyId } }),
    insertChange(ctx, now, { kind: "brand_key.revoked", entityId: keyId, brandId }),
  ]);
  if (updated.length === 0) {
    const [k] = await ctx.db.select().from(brandApiKeys).where(and(eq(brandApiKeys.id, keyId), eq(brandApiKeys.brandId, brandId)));
    if (!k) throw new NotFound("API key not found");
    return { id: k.id, revoked_at: iso(k.revokedAt) };
  }
  ctx.caches.brandKeys.clear(); // a revoked key stops working at once on this instance
  return { id: keyId, revoked_at: iso(now) };
}
