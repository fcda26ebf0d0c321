import type { AppContext } from "../../context";
import { auditLog, publishers, users } from "../../db/schema";
import { auditValues } from "../../audit/audit";
import { Validation } from "../../shared/errors";
import { uuidv7 } from "../../shared/ids";
import { SYSTEM } from "../authenticate";
import { hashPassword } from "../passwords";
import type { UserRow } from "../sessions";
import { isEmailTaken, normalEmail } from "./create-user";

/**
 * Publisher self-signup (only when the network has open_signup on; the caller
 * checks): a pending publisher and its pending user, who can sign in and sees
 * "pending approval" until an admin approves.
 */
export async function signUp(ctx: AppContext, input: { name: string; email: string; password: string }): Promise<UserRow> {
  const now = ctx.clock.now();
  const email = normalEmail(input.email);
  const hash = await hashPassword(input.password);
  const publisher = { id: uuidv7(now), name: input.name, email, status: "pending" as const, payoutMethod: null, payoutDetails: null, createdAt: now, updatedAt: now };
  const user: UserRow = { id: uuidv7(now), email, role: "publisher", brandId: null, publisherId: publisher.id, passwordHash: hash, status: "pending", createdAt: now, updatedAt: now, lastLoginAt: now };
  try {
    await ctx.db.batch([
      ctx.db.insert(publishers).values(publisher),
      ctx.db.insert(users).values(user),
      ctx.db.insert(auditLog).values(auditValues({ actor: SYSTEM, at: now, action: "publisher.signed_up", entityType: "publisher", entityId: publisher.id, data: { name: input.name, email } })),
    ]);
  } catch (e) {
    if (isEmailTaken(e)) {
      // Says the address is taken: signup cannot hide that without email verification, which we do not have.
      throw new Validation({ email: ["is already registered; sign in instead"] }, "Could not sign up");
    }
    throw e;
  }
  return user;
}
