import { and, eq } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, publishers, users } from "../db/schema";
import { auditValues } from "../audit/audit";
import { Conflict } from "../shared/errors";
import { requireAdmin } from "./actor-scope";
import { queueMail } from "../mail/outbox";
import { getNetworkSettings } from "../settings/network-settings";
import { getPublisherRow } from "./publishers";

/**
 * Approves a self-signed-up publisher: the pending publisher and its pending
 * users become active in one transaction with the audit row. Conditional on
 * `pending`, so a repeat is a no-op success.
 */
export async function approvePublisherSignup(ctx: AppContext, actor: Actor, publisherId: string) {
  requireAdmin(actor);
  const before = await getPublisherRow(ctx, publisherId);
  if (before.status === "active") return { changed: false };
  if (before.status !== "pending") throw new Conflict(`A ${before.status} publisher is not awaiting approval`);
  const now = ctx.clock.now();
  const waiting = await ctx.db.select({ id: users.id, email: users.email }).from(users).where(and(eq(users.publisherId, publisherId), eq(users.status, "pending")));
  const { networkName } = ctx.config.SMTP_URL ? await getNetworkSettings(ctx) : { networkName: "" };
  const mails = waiting.flatMap((u) => queueMail(ctx, {
    kind: "approval", refId: u.id, to: u.email, subject: `Your ${networkName} publisher account is approved`,
    body: `${before.name} was approved on ${networkName}. Sign in with the email and password you signed up with:\n${ctx.config.PUBLIC_URL}/login`,
  }, now));
  await ctx.db.batch([
    ctx.db.update(publishers).set({ status: "active", updatedAt: now }).where(and(eq(publishers.id, publisherId), eq(publishers.status, "pending"))),
    ctx.db.update(users).set({ status: "active", updatedAt: now }).where(and(eq(users.publisherId, publisherId), eq(users.status, "pending"))),
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "publisher.approved", entityType: "publisher", entityId: publisherId, fromStatus: "pending", toStatus: "active" })),
    ...mails,
  ]);
  return { changed: true };
}
