import { asc, eq } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { approvals, programs, publishers } from "../db/schema";
import { NotFound } from "../shared/errors";
import { brandOf } from "./actor-scope";
import { serializeProgram } from "./programs";

/**
 * A brand's own programs, each with the names of its approved publishers and
 * the count of applications by status. Publishers' contact and payout details
 * are never selected.
 */
export async function listBrandPrograms(ctx: AppContext, actor: Actor) {
  const brandId = brandOf(actor);
  const rows = await ctx.db.select().from(programs).where(eq(programs.brandId, brandId)).orderBy(asc(programs.name));
  const links = await ctx.db.select({ programId: approvals.programId, status: approvals.status, publisher: publishers.name })
    .from(approvals).innerJoin(programs, eq(programs.id, approvals.programId)).innerJoin(publishers, eq(publishers.id, approvals.publisherId))
    .where(eq(programs.brandId, brandId)).orderBy(asc(publishers.name));
  return rows.map((p) => {
    const mine = links.filter((l) => l.programId === p.id);
    const s = serializeProgram(p);
    return {
      id: s.id, name: s.name, status: s.status, dest_url: s.dest_url, commission_type: s.commission_type, commission_value: s.commission_value,
      currency: s.currency, network_fee_pct: s.network_fee_pct, cookie_window_days: s.cookie_window_days, auto_approve_days: s.auto_approve_days,
      created_at: p.createdAt,
      publishers: mine.filter((l) => l.status === "approved").map((l) => l.publisher),
      pending: mine.filter((l) => l.status === "pending").length,
    };
  });
}
export type BrandProgram = Awaited<ReturnType<typeof listBrandPrograms>>[number];

/** One of the brand's own programs; another brand's id is not found. */
export async function getBrandProgram(ctx: AppContext, actor: Actor, programId: string): Promise<BrandProgram> {
  const p = (await listBrandPrograms(ctx, actor)).find((x) => x.id === programId);
  if (!p) throw new NotFound("Program not found");
  return p;
}

