import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, brandBilling, brands, publishers, publisherThresholds } from "../db/schema";
import { achBody, getNetworkSettings as getSettings, putNetworkSettings as putSettings, wireBody, type NetworkSettings as Settings } from "../settings/network-settings";
import { auditValues } from "../audit/audit";
import { NotFound } from "../shared/errors";
import { parseDecimal } from "../shared/money";

const line = z.string().trim().max(200);
const threshold = z.string().trim().max(20).refine((v) => {
  try { const d = parseDecimal(v); return d.units >= 0n && d.scale <= 4; } catch { return false; }
}, "must be a non-negative decimal like 50.00");

/** The network's own details for invoices and the payout threshold: the API view of the one network settings model (src/settings). */
export const networkSettingsBody = z.strictObject({
  name: line.min(1),
  legal_name: line.min(1),
  address: z.string().trim().max(500),
  tax_id: line.optional(),
  email: z.email().max(254).optional(),
  /** Default payout threshold, a decimal in each payout's own currency. */
  payout_threshold: threshold,
  wire: wireBody.optional(),
  ach: achBody.optional(),
});
export type NetworkSettings = z.infer<typeof networkSettingsBody>;

/** The settings as settlement (close, PDFs) and the API see them; the legal name falls back to the network name. */
export function settlementView(s: Settings): NetworkSettings {
  return {
    name: s.networkName, legal_name: s.legalName || s.networkName, address: s.legalAddress, payout_threshold: s.payoutThreshold,
    ...(s.taxId ? { tax_id: s.taxId } : {}), ...(s.email ? { email: s.email } : {}), ...(s.wire ? { wire: s.wire } : {}), ...(s.ach ? { ach: s.ach } : {}),
  };
}

export async function getNetworkSettings(ctx: AppContext): Promise<NetworkSettings> {
  return settlementView(await getSettings(ctx));
}

/** Replaces the legal, bank and threshold settings (absent optional fields are cleared); audited in the same transaction. */
export async function putNetworkSettings(ctx: AppContext, actor: Actor, body: NetworkSettings): Promise<NetworkSettings> {
  return settlementView(await putSettings(ctx, {
    networkName: body.name, legalName: body.legal_name, legalAddress: body.address, taxId: body.tax_id ?? "", email: body.email ?? "",
    payoutThreshold: body.payout_threshold, wire: body.wire ?? null, ach: body.ach ?? null,
  }, actor));
}

export const brandBillingBody = z.strictObject({
  legal_name: line.min(1), address: z.string().trim().min(1).max(500), tax_id: line.optional(), email: z.email().max(254).optional(),
});

export async function putBrandBilling(ctx: AppContext, actor: Actor, brandId: string, b: z.infer<typeof brandBillingBody>) {
  const [brand] = await ctx.db.select({ id: brands.id }).from(brands).where(eq(brands.id, brandId));
  if (!brand) throw new NotFound("Brand not found");
  const now = ctx.clock.now();
  const row = { brandId, legalName: b.legal_name, address: b.address, taxId: b.tax_id ?? null, email: b.email ?? null, updatedAt: now };
  await ctx.db.batch([
    ctx.db.insert(brandBilling).values(row).onConflictDoUpdate({ target: brandBilling.brandId, set: row }),
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "brand.billing_updated", entityType: "brand", entityId: brandId })),
  ]);
  return { brand_id: brandId, ...b };
}

export const publisherThresholdBody = z.strictObject({ payout_threshold: threshold.nullable() });

/** A publisher's own threshold, or null to fall back to the network default. */
export async function putPublisherThreshold(ctx: AppContext, actor: Actor, publisherId: string, value: string | null) {
  const [p] = await ctx.db.select({ id: publishers.id }).from(publishers).where(eq(publishers.id, publisherId));
  if (!p) throw new NotFound("Publisher not found");
  const now = ctx.clock.now();
  const write = value === null
    ? ctx.db.delete(publisherThresholds).where(eq(publisherThresholds.publisherId, publisherId))
    : ctx.db.insert(publisherThresholds).values({ publisherId, threshold: value, updatedAt: now })
      .onConflictDoUpdate({ target: publisherThresholds.publisherId, set: { threshold: value, updatedAt: now } });
  await ctx.db.batch([
    write,
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "publisher.threshold_updated", entityType: "publisher", entityId: publisherId, data: { payout_threshold: value } })),
  ]);
  return { publisher_id: publisherId, payout_threshold: value };
}
