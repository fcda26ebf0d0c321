import { createAdminToken, createAdminTokenBody, listAdminTokens, revokeAdminToken } from "../network/admin-tokens";
import { iso } from "../shared/time";
import { route } from "./route";

/** Admin API tokens (SPEC §11), the same as `lastclick token create|list|revoke`. */
export const tokenRoutes = [
  route({ method: "post", path: "/api/admin/tokens", auth: "admin", tag: "tokens", status: 201,
    summary: "Create an admin API token (the token is shown once; only its hash is stored)",
    body: createAdminTokenBody, handler: async ({ ctx, actor, body }) => {
      const now = ctx.clock.now();
      const t = await createAdminToken(ctx.db, body.name, now, actor);
      return { id: t.id, name: body.name, token: t.token, created_at: iso(now) };
    } }),
  route({ method: "get", path: "/api/admin/tokens", auth: "admin", tag: "tokens",
    summary: "List admin tokens: name, created, last used (to the minute), revoked; never the token",
    handler: async ({ ctx }) => ({ data: await listAdminTokens(ctx.db) }) }),
  route({ method: "delete", path: "/api/admin/tokens/{id}", auth: "admin", tag: "tokens",
    summary: "Revoke an admin token: refused from the next request on (repeat is a no-op)",
    handler: ({ ctx, actor, params }) => revokeAdminToken(ctx.db, actor, params.id!, ctx.clock.now()) }),
];
