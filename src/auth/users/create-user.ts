import { eq } from "drizzle-orm";
import type { AppContext } from "../../context";
import { auditLog, brands, publishers, users, USER_ROLES } from "../../db/schema";
import { auditValues } from "../../audit/audit";
import { Conflict, Validation } from "../../shared/errors";
import { uuidv7 } from "../../shared/ids";
import type { Actor } from "../authenticate";
import { inviteMail, inviteStatements } from "./invites";

export interface CreateUserInput { email: string; role: (typeof USER_ROLES)[number]; brandId?: string | null; publisherId?: string | null }

export const normalEmail = (e: string) => e.trim().toLowerCase();

/** The unique index on users.email refused the row (libSQL puts the message on the error or its cause). */
export function isEmailTaken(e: unknown): boolean {
  return /UNIQUE constraint failed: users\.email/.test(String((e as Error)?.message) + String((e as { cause?: Error })?.cause?.message));
}

/** Checks the role's party: a brand user needs an existing brand, a publisher user a publisher, an admin neither. */
async function partyFor(ctx: AppContext, input: CreateUserInput): Promise<{ brandId: string | null; publisherId: string | null }> {
  if (input.role === "admin") {
    if (input.brandId || input.publisherId) throw new Validation({ role: ["an admin belongs to no brand or publisher"] });
    return { brandId: null, publisherId: null };
  }
  if (input.role === "brand") {
    if (!input.brandId) throw new Validation({ brand_id: ["is required for a brand user"] });
    if (input.publisherId) throw new Validation({ publisher_id: ["a brand user has no publisher"] });
    const [b] = await ctx.db.select({ id: brands.id }).from(brands).where(eq(brands.id, input.brandId));
    if (!b) throw new Validation({ brand_id: ["no such brand"] });
    return { brandId: b.id, publisherId: null };
  }
  if (!input.publisherId) throw new Validation({ publisher_id: ["is required for a publisher user"] });
  if (input.brandId) throw new Validation({ brand_id: ["a publisher user has no brand"] });
  const [p] = await ctx.db.select({ id: publishers.id }).from(publishers).where(eq(publishers.id, input.publisherId));
  if (!p) throw new Validation({ publisher_id: ["no such publisher"] });
  return { brandId: null, publisherId: p.id };
}

/** Creates a user (no password yet) and its one-time invite link. An email is taken once, any case. */
export async function createUser(ctx: AppContext, actor: Actor, input: CreateUserInput): Promise<{ id: string; email: string; invite_url: string }> {
  const party = await partyFor(ctx, input);
  const now = ctx.clock.now();
  const email = normalEmail(input.email);
  const row: typeof users.$inferInsert = { id: uuidv7(now), email, role: input.role, ...party, passwordHash: null, status: "active", createdAt: now, updatedAt: now };
  const invite = inviteStatements(ctx, row.id!, now);
  const mail = await inviteMail(ctx, invite, email, "invite", now);
  try {
    await ctx.db.batch([
      ctx.db.insert(users).values(row),
      ...invite.statements,
      ...mail,
      ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "user.created", entityType: "user", entityId: row.id!, data: { email, role: input.role, ...party } })),
    ]);
  } catch (e) {
    if (isEmailTaken(e)) {
      throw new Conflict("A user with this email already exists");
    }
    throw e;
  }
  return { id: row.id!, email, invite_url: invite.url };
}
