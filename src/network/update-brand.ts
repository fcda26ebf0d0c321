import { eq } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, brands } from "../db/schema";
import { auditValues } from "../audit/audit";
import { requireAdmin } from "./actor-scope";
import { getBrand, serializeBrand } from "./brands";

/** Renames a brand; the change and its audit row commit together. */
export async function updateBrand(ctx: AppContext, actor: Actor, brandId: string, input: { name: string }) {
  requireAdmin(actor);
  const before = await getBrand(ctx, brandId);
  const now = ctx.clock.now();
  await ctx.db.batch([
    ctx.db.update(brands).set({ name: input.name, updatedAt: now }).where(eq(brands.id, brandId)),
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "brand.updated", entityType: "brand", entityId: brandId, data: { before: { name: before.name }, after: { name: input.name } } })),
  ]);
  return serializeBrand({ ...before, name: input.name, updatedAt: now });
}
