import type { Db } from "../db/client";
import { adminTokens } from "../db/schema";
import { hashSecret, newSecret } from "../auth/secrets";
import { uuidv7 } from "../shared/ids";

/** Creates an admin API token; the clear token is returned once (the CLI prints it). */
export async function createAdminToken(db: Db, name: string, now = Date.now()): Promise<{ id: string; token: string }> {
  const token = newSecret("lc_admin_");
  const id = uuidv7(now);
  await db.insert(adminTokens).values({ id, name, tokenHash: hashSecret(token), createdAt: now });
  return { id, token };
}

/** First start on an empty database: mint an admin token so the operator can log in. Null when one exists. */
export async function mintFirstAdminToken(db: Db, now = Date.now()): Promise<string | null> {
  const [any] = await db.select({ id: adminTokens.id }).from(adminTokens).limit(1);
  if (any) return null;
  return (await createAdminToken(db, "initial", now)).token;
}
