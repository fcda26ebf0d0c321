import { insertChange } from "../changes/write-change";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, publishers } from "../db/schema";
import { auditValues } from "../audit/audit";
import { NotFound, Validation } from "../shared/errors";
import { uuidv7 } from "../shared/ids";
import { iso } from "../shared/time";
import { PAYOUT_METHODS, payoutDetailsByMethod } from "./payout-methods";
import { zodFields } from "../api/body";

const payoutFields = {
  payout_method: z.enum(PAYOUT_METHODS).nullable(),
  payout_details: z.record(z.string(), z.unknown()).nullable(),
};
export const createPublisherBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  payout_method: payoutFields.payout_method.optional(),
  payout_details: payoutFields.payout_details.optional(),
});
export const updatePublisherBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  status: z.enum(["active", "suspended"]),
  ...payoutFields,
}).partial().refine((b) => Object.keys(b).length > 0, "send at least one field to change");

type PublisherRow = typeof publishers.$inferSelect;

function checkedPayout(method: string | null | undefined, details: unknown): { payoutMethod: string | null; payoutDetails: string | null } {
  if (!method) {
    if (details) throw new Validation({ payout_method: ["required when payout_details is given"] });
    return { payoutMethod: null, payoutDetails: null };
  }
  const r = payoutDetailsByMethod[method as keyof typeof payoutDetailsByMethod].safeParse(details ?? {});
  if (!r.success) {
    const fields = Object.fromEntries(Object.entries(zodFields(r.error)).map(([k, v]) => [`payout_details${k === "_" ? "" : "." + k}`, v]));
    throw new Validation(fields, `Invalid payout details for ${method}`);
  }
  return { payoutMethod: method, payoutDetails: JSON.stringify(r.data) };
}

export async function createPublisher(ctx: AppContext, actor: Actor, b: z.infer<typeof createPublisherBody>) {
  const now = ctx.clock.now();
  const row: PublisherRow = {
    id: uuidv7(now), name: b.name, email: b.email, status: "active",
    ...checkedPayout(b.payout_method, b.payout_details), createdAt: now, updatedAt: now,
  };
  await ctx.db.batch([
    ctx.db.insert(publishers).values(row),
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "publisher.created", entityType: "publisher", entityId: row.id, data: { name: row.name, payout_method: row.payoutMethod } })),
  ]);
  return serializePublisher(row);
}

export async function getPublisherRow(ctx: AppContext, id: string): Promise<PublisherRow> {
  const [row] = await ctx.db.select().from(publishers).where(eq(publishers.id, id));
  if (!row) throw new NotFound("Publisher not found");
  return row;
}

export async function updatePublisher(ctx: AppContext, actor: Actor, id: string, b: z.infer<typeof updatePublisherBody>) {
  const before = await getPublisherRow(ctx, id);
  const now = ctx.clock.now();
  const payoutChanged = b.payout_method !== undefined || b.payout_details !== undefined;
  const after: PublisherRow = {
    ...before, updatedAt: now,
    ...(b.name !== undefined && { name: b.name }), ...(b.email !== undefined && { email: b.email }),
    ...(b.status !== undefined && { status: b.status }),
    ...(payoutChanged && checkedPayout(
      b.payout_method !== undefined ? b.payout_method : before.payoutMethod,
      b.payout_details !== undefined ? b.payout_details : (b.payout_method === undefined && before.payoutDetails ? JSON.parse(before.payoutDetails) : null),
    )),
  };
  await ctx.db.batch([
    ctx.db.update(publishers).set(after).where(eq(publishers.id, id)),
    ctx.db.insert(auditLog).values(auditValues({
      actor, at: now, action: "publisher.updated", entityType: "publisher", entityId: id, fromStatus: before.status, toStatus: after.status,
      data: { fields: Object.keys(b) },
    })),
    insertChange(ctx, now, { kind: "publisher.updated", entityId: id, publisherId: id, payload: { status: after.status } }),
  ]);
  ctx.links.invalidate(); // a suspended publisher's links stop redirecting
  return serializePublisher(after);
}

export async function listPublishers(ctx: AppContext) {
  return (await ctx.db.select().from(publishers).orderBy(desc(publishers.createdAt))).map(serializePublisher);
}

export function serializePublisher(p: PublisherRow) {
  return {
    id: p.id, name: p.name, email: p.email, status: p.status, payout_method: p.payoutMethod,
    payout_details: p.payoutDetails ? JSON.parse(p.payoutDetails) : null, created_at: iso(p.createdAt), updated_at: iso(p.updatedAt),
  };
}
