import { z } from "zod";
import { createUser } from "../auth/users/create-user";
import { deleteUser } from "../auth/users/delete-user";
import { listUsers } from "../auth/users/list-users";
import { setUserStatus } from "../auth/users/set-user-status";
import { USER_ROLES } from "../db/schema";
import { id } from "../shared/validators";
import { route } from "./route";

/** Console users (SPEC §8, §11): admin token required. */
export const userRoutes = [
  route({ method: "post", path: "/api/admin/users", auth: "admin", tag: "users", status: 201, errors: [409],
    summary: "Create a console user; returns a one-time invite link (valid 7 days) where they set a password",
    body: z.strictObject({ email: z.email().max(254), role: z.enum(USER_ROLES), brand_id: id.nullish(), publisher_id: id.nullish() }),
    handler: async ({ ctx, actor, body }) => {
      const u = await createUser(ctx, actor, { email: body.email, role: body.role, brandId: body.brand_id, publisherId: body.publisher_id });
      return { id: u.id, invite_url: u.invite_url };
    } }),
  route({ method: "get", path: "/api/admin/users", auth: "admin", tag: "users", summary: "List console users (never passwords)",
    handler: async ({ ctx }) => ({ data: await listUsers(ctx) }) }),
  route({ method: "patch", path: "/api/admin/users/{id}", auth: "admin", tag: "users", summary: "Approve (active) or disable a user; disabling ends its sessions",
    body: z.strictObject({ status: z.enum(["active", "disabled"]) }),
    handler: ({ ctx, actor, params, body }) => setUserStatus(ctx, actor, params.id!, body.status) }),
  route({ method: "delete", path: "/api/admin/users/{id}", auth: "admin", tag: "users", summary: "Delete a user and end its sessions",
    handler: ({ ctx, actor, params }) => deleteUser(ctx, actor, params.id!) }),
];
