import { and, asc, eq } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { approvals, brands, programs } from "../db/schema";
import { parseAttributes } from "../smartlinks/attributes";
import { publisherOf } from "./actor-scope";
import { trackingUrl } from "./approvals";
import { publisherTerms } from "./publisher-terms";

/**
 * The marketplace a publisher sees: every active program (and any program it
 * already has an application or link for), with its own application status.
 * Only this publisher's approval row is joined: another publisher's status or
 * link never appears. The network fee is not shown, only what it earns.
 */
export async function listMarketplace(ctx: AppContext, actor: Actor) {
  const publisherId = publisherOf(actor);
  const rows = await ctx.db.select({ program: programs, brandName: brands.name, approval: approvals }).from(programs)
    .innerJoin(brands, eq(brands.id, programs.brandId))
    .leftJoin(approvals, and(eq(approvals.programId, programs.id), eq(approvals.publisherId, publisherId)))
    .orderBy(asc(programs.name));
  return rows.filter((r) => r.program.status === "active" || r.approval).map(({ program: p, brandName, approval: a }) => {
    const attrs = parseAttributes(p.attributes);
    return {
      program_id: p.id, name: p.name, brand_name: brandName, program_status: p.status, currency: p.currency,
      earn: publisherTerms(p), cookie_window_days: p.cookieWindowDays,
      category: attrs.category ?? [], countries: attrs.countries ?? [], devices: attrs.devices ?? [],
      application: a ? { id: a.id, status: a.status, tracking_url: a.status === "approved" ? trackingUrl(ctx, a.slug) : null, updated_at: a.updatedAt } : null,
      created_at: p.createdAt,
    };
  });
}
export type MarketplaceItem = Awaited<ReturnType<typeof listMarketplace>>[number];
