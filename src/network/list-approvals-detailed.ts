import { desc, eq } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { approvals, brands, programs, publishers } from "../db/schema";
import { requireAdmin } from "./actor-scope";
import { trackingUrl } from "./approvals";

/** Admin: every application / tracking link with its program, brand and publisher names. */
export async function listApprovalsDetailed(ctx: AppContext, actor: Actor) {
  requireAdmin(actor);
  const rows = await ctx.db.select({ a: approvals, program: programs.name, programStatus: programs.status, brand: brands.name, publisher: publishers.name, publisherStatus: publishers.status })
    .from(approvals)
    .innerJoin(programs, eq(programs.id, approvals.programId))
    .innerJoin(brands, eq(brands.id, programs.brandId))
    .innerJoin(publishers, eq(publishers.id, approvals.publisherId))
    .orderBy(desc(approvals.createdAt));
  return rows.map((r) => ({
    id: r.a.id, status: r.a.status, slug: r.a.slug, tracking_url: trackingUrl(ctx, r.a.slug),
    program_id: r.a.programId, program_name: r.program, program_status: r.programStatus, brand_name: r.brand,
    publisher_id: r.a.publisherId, publisher_name: r.publisher, publisher_status: r.publisherStatus,
    created_at: r.a.createdAt, updated_at: r.a.updatedAt,
  }));
}
export type ApprovalDetail = Awaited<ReturnType<typeof listApprovalsDetailed>>[number];
