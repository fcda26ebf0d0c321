import { insertChange } from "../changes/write-change";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { approvals, auditLog, vendorLinks } from "../db/schema";
import { auditValues, auditWhenChanged } from "../audit/audit";
import { Conflict, NotFound, Validation } from "../shared/errors";
import { newSlug, uuidv7 } from "../shared/ids";
import { iso } from "../shared/time";
import { id } from "../shared/validators";
import { getProgramRow } from "./programs";
import { getPublisherRow } from "./publishers";

export const createApprovalBody = z.strictObject({ program_id: id, publisher_id: id });
export const updateApprovalBody = z.strictObject({ status: z.enum(["pending", "approved", "rejected", "suspended"]) });
export const createVendorLinkBody = z.strictObject({
  approval_id: id,
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "lower-case letters, digits and dashes, 2-63 characters"),
});

type ApprovalRow = typeof approvals.$inferSelect;

/**
 * Approves a publisher for a program and gives it its tracking link. Idempotent:
 * approving an existing pair returns it (re-approving it if needed, same slug).
 */
export async function createApproval(ctx: AppContext, actor: Actor, b: z.infer<typeof createApprovalBody>) {
  const fields: Record<string, string[]> = {};
  await getProgramRow(ctx, b.program_id).catch(() => { fields.program_id = ["no such program"]; });
  await getPublisherRow(ctx, b.publisher_id).catch(() => { fields.publisher_id = ["no such publisher"]; });
  if (Object.keys(fields).length) throw new Validation(fields);
  const now = ctx.clock.now();
  const row: ApprovalRow = { id: uuidv7(now), programId: b.program_id, publisherId: b.publisher_id, status: "approved", slug: newSlug(), createdAt: now, updatedAt: now };
  const [[inserted]] = await ctx.db.batch([
    ctx.db.insert(approvals).values(row).onConflictDoNothing().returning(),
    auditWhenChanged(ctx.db, { actor, at: now, action: "approval.created", entityType: "approval", entityId: row.id, toStatus: "approved", data: b }),
    insertChange(ctx, now, { kind: "approval.created", entityId: row.id, publisherId: row.publisherId, programId: row.programId }),
  ]);
  if (inserted) {
    ctx.links.invalidate();
    return { created: true, approval: serializeApproval(ctx, inserted) };
  }
  const [existing] = await ctx.db.select().from(approvals)
    .where(and(eq(approvals.programId, b.program_id), eq(approvals.publisherId, b.publisher_id)));
  if (!existing) throw new Conflict("Approval could not be created");
  const approval = existing.status === "approved" ? existing : await setApprovalStatus(ctx, actor, existing.id, "approved");
  return { created: false, approval: serializeApproval(ctx, approval) };
}

export async function setApprovalStatus(ctx: AppContext, actor: Actor, approvalId: string, status: ApprovalRow["status"]): Promise<ApprovalRow> {
  const before = await getApprovalRow(ctx, approvalId);
  if (before.status === status) return before;
  const now = ctx.clock.now();
  const [after] = await ctx.db.batch([
    ctx.db.update(approvals).set({ status, updatedAt: now }).where(eq(approvals.id, approvalId)).returning(),
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "approval.status_changed", entityType: "approval", entityId: approvalId, fromStatus: before.status, toStatus: status })),
    insertChange(ctx, now, { kind: "approval.status_changed", entityId: approvalId, publisherId: before.publisherId, programId: before.programId, payload: { status } }),
  ]);
  ctx.links.invalidate();
  return after[0]!;
}

export async function getApprovalRow(ctx: AppContext, approvalId: string): Promise<ApprovalRow> {
  const [row] = await ctx.db.select().from(approvals).where(eq(approvals.id, approvalId));
  if (!row) throw new NotFound("Approval not found");
  return row;
}

export async function listApprovals(ctx: AppContext, filter: { programId?: string; publisherId?: string }) {
  const rows = await ctx.db.select().from(approvals).where(and(
    filter.programId ? eq(approvals.programId, filter.programId) : undefined,
    filter.publisherId ? eq(approvals.publisherId, filter.publisherId) : undefined,
  )).orderBy(desc(approvals.createdAt));
  return rows.map((r) => serializeApproval(ctx, r));
}

export function trackingUrl(ctx: AppContext, slug: string): string {
  return `${ctx.config.PUBLIC_URL}/go/${slug}`;
}

export function serializeApproval(ctx: AppContext, a: ApprovalRow) {
  return {
    id: a.id, program_id: a.programId, publisher_id: a.publisherId, status: a.status, slug: a.slug,
    tracking_url: trackingUrl(ctx, a.slug), created_at: iso(a.createdAt), updated_at: iso(a.updatedAt),
  };
}

/** A vendor link: /api/v/{key}?s={submission} onto an approval's click machinery. */
export async function createVendorLink(ctx: AppContext, actor: Actor, b: z.infer<typeof createVendorLinkBody>) {
  await getApprovalRow(ctx, b.approval_id).catch(() => { throw new Validation({ approval_id: ["no such approval"] }); });
  const now = ctx.clock.now();
  const row = { id: uuidv7(now), key: b.key, approvalId: b.approval_id, createdAt: now };
  const [[inserted]] = await ctx.db.batch([
    ctx.db.insert(vendorLinks).values(row).onConflictDoNothing().returning(),
    auditWhenChanged(ctx.db, { actor, at: now, action: "vendor_link.created", entityType: "approval", entityId: b.approval_id, data: { key: b.key } }),
    insertChange(ctx, now, { kind: "vendor_link.created", entityId: row.id }),
  ]);
  if (!inserted) throw new Conflict(`Vendor key "${b.key}" is already taken`);
  ctx.links.invalidate();
  return { id: row.id, key: row.key, approval_id: row.approvalId, url: `${ctx.config.PUBLIC_URL}/api/v/${row.key}?s={submission}`, created_at: iso(now) };
}
