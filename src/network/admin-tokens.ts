import { and, asc, eq, isNull, lte, or } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { Db } from "../db/client";
import { adminTokens, auditLog } from "../db/schema";
import { hashSecret, newSecret } from "../auth/secrets";
import { auditValues, auditWhenChanged } from "../audit/audit";
import { NotFound } from "../shared/errors";
import { uuidv7 } from "../shared/ids";
import { iso } from "../shared/time";

export const TOKEN_NAME_RE = /^[\w .@-]{1,80}$/;
export const createAdminTokenBody = z.strictObject({
  name: z.string().trim().regex(TOKEN_NAME_RE, "1-80 letters, digits, spaces or . @ - _"),
});

/** last_used_at is written at most this often per token: a busy script does not turn every call into a write. */
export const LAST_USED_RESOLUTION_MS = 60_000;

type TokenRow = typeof adminTokens.$inferSelect;

/** Creates an admin API token; the clear token is returned once (the CLI prints it). */
export async function createAdminToken(db: Db, name: string, now = Date.now(), actor?: Actor): Promise<{ id: string; token: string }> {
  const token = newSecret("lc_admin_");
  const id = uuidv7(now);
  const insert = db.insert(adminTokens).values({ id, name, tokenHash: hashSecret(token), createdAt: now });
  if (actor) await db.batch([insert, db.insert(auditLog).values(auditValues({ actor, at: now, action: "admin_token.created", entityType: "admin_token", entityId: id, data: { name } }))]);
  else await insert;
  return { id, token };
}

/** First start on an empty database: mint an admin token so the operator can log in. Null when one exists. */
export async function mintFirstAdminToken(db: Db, now = Date.now()): Promise<string | null> {
  const [any] = await db.select({ id: adminTokens.id }).from(adminTokens).limit(1);
  if (any) return null;
  return (await createAdminToken(db, "initial", now)).token;
}

export function serializeAdminToken(t: TokenRow) {
  return { id: t.id, name: t.name, created_at: iso(t.createdAt), last_used_at: iso(t.lastUsedAt), revoked_at: iso(t.revokedAt) };
}

/** Every token, oldest first: names and times, never the token (only its hash is stored anyway). */
export async function listAdminTokens(db: Db) {
  return (await db.select().from(adminTokens).orderBy(asc(adminTokens.createdAt), asc(adminTokens.id))).map(serializeAdminToken);
}

/**
 * Revokes a token; it fails authentication from the next request on (tokens
 * are looked up on every request, nothing caches them). Revoking a revoked
 * token is a no-op that returns the original revocation time.
 */
export async function revokeAdminToken(db: Db, actor: Actor, id: string, now = Date.now()) {
  const [[revoked]] = await db.batch([
    db.update(adminTokens).set({ revokedAt: now }).where(and(eq(adminTokens.id, id), isNull(adminTokens.revokedAt))).returning(),
    auditWhenChanged(db, { actor, at: now, action: "admin_token.revoked", entityType: "admin_token", entityId: id }),
  ]);
  if (revoked) return serializeAdminToken(revoked);
  const [row] = await db.select().from(adminTokens).where(eq(adminTokens.id, id));
  if (!row) throw new NotFound("Admin token not found");
  return serializeAdminToken(row);
}

/**
 * Records that a token was used, at most once per LAST_USED_RESOLUTION_MS:
 * the caller already holds the row, so a recent last_used_at costs nothing,
 * and the conditional update keeps a burst of calls to one write. Not awaited
 * by the request it describes.
 */
export function touchAdminToken(db: Db, row: Pick<TokenRow, "id" | "lastUsedAt">, now: number): void {
  if (row.lastUsedAt !== null && now - row.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
  db.update(adminTokens).set({ lastUsedAt: now })
    .where(and(eq(adminTokens.id, row.id), or(isNull(adminTokens.lastUsedAt), lte(adminTokens.lastUsedAt, now - LAST_USED_RESOLUTION_MS))))
    .then(() => undefined, (e: unknown) => console.warn(`admin token last-used time not recorded: ${(e as Error).message}`));
}
