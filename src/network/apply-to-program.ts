import { and, eq } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { approvals } from "../db/schema";
import { auditIfChanged } from "../audit/audit";
import { Conflict, NotFound } from "../shared/errors";
import { newSlug, uuidv7 } from "../shared/ids";
import { publisherOf } from "./actor-scope";
import { getProgramRow } from "./programs";
import { getPublisherRow } from "./publishers";

/**
 * A publisher applies to an active program: a pending approval (with its slug,
 * unused until approved) that the network reviews under Applications.
 * Idempotent through the (program, publisher) unique key: applying again
 * changes nothing and answers with the existing application and `created: false`.
 */
export async function applyToProgram(ctx: AppContext, actor: Actor, programId: string) {
  const publisherId = publisherOf(actor);
  const program = await getProgramRow(ctx, programId);
  if (program.status !== "active") throw new NotFound("Program not found");
  const publisher = await getPublisherRow(ctx, publisherId);
  if (publisher.status !== "active") throw new Conflict("Your publisher account is not active yet");
  const now = ctx.clock.now();
  const row = { id: uuidv7(now), programId, publisherId, status: "pending" as const, slug: newSlug(), createdAt: now, updatedAt: now };
  // Insert-or-nothing, and the audit row only if the insert happened: one batch, one transaction.
  const [ins] = await ctx.client.batch([
    {
      sql: "INSERT INTO approvals (id, program_id, publisher_id, status, slug, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      args: [row.id, programId, publisherId, row.status, row.slug, now, now],
    },
    auditIfChanged({ actor, at: now, action: "approval.applied", entityType: "approval", entityId: row.id, toStatus: "pending", data: { program_id: programId, publisher_id: publisherId } }),
  ], "write");
  if (ins!.rowsAffected === 1) return { created: true, approval: row };
  const [existing] = await ctx.db.select().from(approvals).where(and(eq(approvals.programId, programId), eq(approvals.publisherId, publisherId)));
  return { created: false, approval: existing! };
}

