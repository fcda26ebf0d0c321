import type { UserListItem } from "../../src/auth/users/list-users";
import { badge, dataTable, type TableState } from "../components/data";
import { csrfField, field, formError, select, type Errors } from "../components/form";
import { html, type SafeHtml } from "../html";

export interface UsersView {
  users: UserListItem[];
  me: string;
  csrf: string;
  state: TableState;
  brands: { id: string; name: string }[];
  publishers: { id: string; name: string }[];
  values?: Record<string, string>;
  errors?: Errors;
  error?: string | null;
  /** The invite link just created: shown once, never stored in clear. */
  created?: { email: string; inviteUrl: string } | null;
}

function actions(u: UserListItem, v: UsersView): SafeHtml {
  if (u.id === v.me) return html`<span class="muted">you</span>`;
  const status = (to: string, label: string) => html`<form method="post" action="/admin/users/${u.id}/status" class="inline">${csrfField(v.csrf)}<input type="hidden" name="status" value="${to}"><button type="submit" class="small secondary">${label}</button></form>`;
  return html`<div class="row-actions">
${u.status === "pending" ? status("active", "Approve") : u.status === "active" ? status("disabled", "Disable") : status("active", "Enable")}
<form method="post" action="/admin/users/${u.id}/delete" class="inline" onsubmit="return confirm('Delete this user? Their sessions end at once.')">${csrfField(v.csrf)}<button type="submit" class="small danger" aria-label="Delete ${u.email}">Delete</button></form></div>`;
}

export function usersView(v: UsersView): SafeHtml {
  const val = v.values ?? {};
  return html`<div class="page-head"><h1>Users</h1><p class="muted">People who sign in to the console. Invite links are valid for 7 days and work once.</p></div>
${v.created ? html`<div class="flash flash-ok invite-created" role="status"><p><strong>Invitation for ${v.created.email} created.</strong> Send this link to them; it is shown only now.</p>
<div class="copy"><input id="invite-url" readonly value="${v.created.inviteUrl}" aria-label="Invite link"><button type="button" class="secondary" onclick="navigator.clipboard&&navigator.clipboard.writeText(document.getElementById('invite-url').value)">Copy</button></div></div>` : ""}
<section class="panel"><h2>Invite a user</h2>
${formError(v.error)}
<form method="post" action="/admin/users" class="grid-form" novalidate>${csrfField(v.csrf)}
${field({ name: "email", label: "Email", type: "email", value: val.email, required: true, errors: v.errors })}
${select({ name: "role", label: "Role", value: val.role ?? "admin", errors: v.errors, options: [{ value: "admin", label: "Admin (the network)" }, { value: "brand", label: "Brand user" }, { value: "publisher", label: "Publisher user" }] })}
${select({ name: "brand_id", label: "Brand (for a brand user)", value: val.brand_id, errors: v.errors, options: [{ value: "", label: "—" }, ...v.brands.map((b) => ({ value: b.id, label: b.name }))] })}
${select({ name: "publisher_id", label: "Publisher (for a publisher user)", value: val.publisher_id, errors: v.errors, options: [{ value: "", label: "—" }, ...v.publishers.map((p) => ({ value: p.id, label: p.name }))] })}
<div class="form-actions"><button type="submit" class="primary">Create invite link</button></div>
</form></section>
<section class="panel"><h2>All users <span class="count">${v.users.length}</span></h2>
${dataTable({
    caption: "Users", rows: v.users, state: v.state, rowId: (u) => `user-${u.id}`,
    empty: "Invite the first user with the form above.",
    columns: [
      { key: "email", label: "Email", sortable: true, cell: (u) => u.email },
      { key: "role", label: "Role", sortable: true, cell: (u) => u.role },
      { key: "party", label: "Brand / publisher", cell: (u) => u.party_name ?? html`<span class="muted">network</span>` },
      { key: "status", label: "Status", sortable: true, cell: (u) => u.has_password || u.status !== "active" ? badge(u.status) : html`<span class="badge badge-pending" title="Has not set a password yet">invited</span>` },
      { key: "last_login_at", label: "Last sign-in", sortable: true, cell: (u) => u.last_login_at ? html`<time datetime="${u.last_login_at}">${u.last_login_at.slice(0, 16).replace("T", " ")}</time>` : html`<span class="muted">never</span>` },
      { key: "actions", label: "Actions", cell: (u) => actions(u, v) },
    ],
  })}
</section>`;
}
