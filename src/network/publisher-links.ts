import { and, asc, eq } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { approvals, programs } from "../db/schema";
import { NotFound } from "../shared/errors";
import { publisherOf } from "./actor-scope";
import { trackingUrl } from "./approvals";

/** The signed-in publisher's approved, usable links (program active), for the link builder. */
export async function listOwnLinks(ctx: AppContext, actor: Actor) {
  const publisherId = publisherOf(actor);
  const rows = await ctx.db.select({ a: approvals, p: programs }).from(approvals)
    .innerJoin(programs, eq(programs.id, approvals.programId))
    .where(and(eq(approvals.publisherId, publisherId), eq(approvals.status, "approved")))
    .orderBy(asc(programs.name));
  return rows.map(({ a, p }) => ({
    id: a.id, program_id: p.id, program_name: p.name, program_status: p.status,
    pass_through_params: p.passThroughParams, tracking_url: trackingUrl(ctx, a.slug),
  }));
}
export type OwnLink = Awaited<ReturnType<typeof listOwnLinks>>[number];

/** One of the publisher's own approved links; anyone else's id is simply not found. */
export async function getOwnLink(ctx: AppContext, actor: Actor, approvalId: string): Promise<OwnLink> {
  const link = (await listOwnLinks(ctx, actor)).find((l) => l.id === approvalId);
  if (!link) throw new NotFound("Link not found");
  return link;
}

export const LINK_PARAMS = ["sub1", "sub2", "sub3", "sub4", "sub5", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;
export const MAX_LINK_PARAM = 200;

/** The tracking link with the chosen sub-ids and UTM tags (empty ones left out), in a fixed order. */
export function buildLink(base: string, values: Partial<Record<(typeof LINK_PARAMS)[number], string>>): string {
  const q = new URLSearchParams();
  for (const k of LINK_PARAMS) { const v = values[k]?.trim(); if (v) q.set(k, v); }
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}
