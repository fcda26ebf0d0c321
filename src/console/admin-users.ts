import { z } from "zod";
import { listBrands } from "../network/brands";
import { listPublishers } from "../network/publishers";
import { createUser } from "../auth/users/create-user";
import { deleteUser } from "../auth/users/delete-user";
import { listUsers, type UserListItem } from "../auth/users/list-users";
import { setUserStatus } from "../auth/users/set-user-status";
import { USER_ROLES } from "../db/schema";
import { AppError, type FieldErrors } from "../shared/errors";
import { usersView, type UsersView } from "../../views/admin/users";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { parseForm } from "./forms";
import { render } from "./pages";

const SORTS: Record<string, (u: UserListItem) => string> = {
  email: (u) => u.email, role: (u) => u.role, status: (u) => u.status, last_login_at: (u) => u.last_login_at ?? "",
};

async function page(c: ConsoleRequest, extra: Partial<UsersView> = {}, status = 200) {
  const sort = c.url.searchParams.get("sort") ?? "";
  const dir = c.url.searchParams.get("dir") === "desc" ? "desc" : "asc";
  let users = await listUsers(c.ctx);
  if (SORTS[sort]) users = users.toSorted((a, b) => SORTS[sort]!(a).localeCompare(SORTS[sort]!(b)) * (dir === "asc" ? 1 : -1));
  const [brands, publishers] = await Promise.all([listBrands(c.ctx), listPublishers(c.ctx)]);
  return render(c, "Users", usersView({
    users, me: c.auth!.user.id, csrf: c.auth!.session.csrfToken, brands, publishers,
    state: { path: "/admin/users", params: c.url.searchParams, sort: SORTS[sort] ? sort : undefined, dir }, ...extra,
  }), status);
}

const inviteForm = z.object({
  email: z.email("must be an email address").max(254),
  role: z.enum(USER_ROLES, "choose a role"),
  brand_id: z.string().max(64).optional().transform((v) => v || null),
  publisher_id: z.string().max(64).optional().transform((v) => v || null),
});

/** Admin: list users, invite one (the link is shown once), approve / disable, delete. */
export const adminUserRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/admin/users", access: ["admin"], handler: (c) => page(c) },
  { method: "POST", path: "/admin/users", access: ["admin"], handler: async (c) => {
    const values = Object.fromEntries(c.form ?? []);
    const f = parseForm(inviteForm, c.form);
    if (!f.ok) return page(c, { values, errors: f.errors }, 422);
    try {
      const u = await createUser(c.ctx, c.auth!.actor, { email: f.data.email, role: f.data.role, brandId: f.data.brand_id, publisherId: f.data.publisher_id });
      return page(c, { created: { email: u.email, inviteUrl: u.invite_url } }, 201);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      const errors: FieldErrors = e.fields ?? (e.status === 409 ? { email: [e.message] } : {});
      return page(c, { values, errors, error: e.fields || e.status === 409 ? null : e.message }, e.status === 409 ? 409 : 422);
    }
  } },
  { method: "POST", path: "/admin/users/{id}/delete", access: ["admin"], handler: async (c) => {
    await deleteUser(c.ctx, c.auth!.actor, c.params.id!);
    return redirect(c, "/admin/users", [flashCookie("ok", "The user was deleted and signed out.")]);
  } },
  { method: "POST", path: "/admin/users/{id}/status", access: ["admin"], handler: async (c) => {
    const f = parseForm(z.object({ status: z.enum(["active", "disabled"]) }), c.form);
    if (!f.ok) return redirect(c, "/admin/users", [flashCookie("error", "Choose approve, enable or disable.")]);
    if (c.params.id === c.auth!.user.id) return redirect(c, "/admin/users", [flashCookie("error", "You cannot change your own status.")]);
    await setUserStatus(c.ctx, c.auth!.actor, c.params.id!, f.data.status);
    return redirect(c, "/admin/users", [flashCookie("ok", f.data.status === "disabled" ? "The user was disabled and signed out." : "The user can sign in.")]);
  } },
];
