import { desc, eq } from "drizzle-orm";
import type { AppContext } from "../../context";
import { brands, publishers, users } from "../../db/schema";
import { iso } from "../../shared/time";

/** Every user with the name of its brand or publisher; never a password hash. */
export async function listUsers(ctx: AppContext) {
  const rows = await ctx.db.select({ user: users, brandName: brands.name, publisherName: publishers.name }).from(users)
    .leftJoin(brands, eq(brands.id, users.brandId)).leftJoin(publishers, eq(publishers.id, users.publisherId))
    .orderBy(desc(users.createdAt));
  return rows.map(({ user: u, brandName, publisherName }) => ({
    id: u.id, email: u.email, role: u.role, status: u.status,
    brand_id: u.brandId, publisher_id: u.publisherId, party_name: brandName ?? publisherName ?? null,
    has_password: u.passwordHash !== null,
    created_at: iso(u.createdAt), last_login_at: iso(u.lastLoginAt),
  }));
}
export type UserListItem = Awaited<ReturnType<typeof listUsers>>[number];

/** True once any console user exists (first start prints how to create one). */
export async function anyUser(ctx: AppContext): Promise<boolean> {
  return (await ctx.db.select({ id: users.id }).from(users).limit(1)).length > 0;
}
