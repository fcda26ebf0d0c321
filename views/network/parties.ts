import type { BrandProgram } from "../../src/network/brand-programs";
import { badge, dataTable, pager, type TableState } from "../components/data";
import { csrfField, field, formError, select, type Errors } from "../components/form";
import { when } from "../components/when";
import { html, type SafeHtml } from "../html";
import { commissionText } from "./programs";

interface Paged<R> { rows: R[]; total: number; state: TableState; nextCursor: string | null; filters: SafeHtml; csrf: string; tz: string }
export interface BrandItem { id: string; name: string; created_ms: number; programs: number; active_programs: number; users: number }

export function brandsView(v: Paged<BrandItem> & { values?: Record<string, string>; errors?: Errors }): SafeHtml {
  return html`<div class="page-head"><h1>Brands</h1><p class="muted">Advertisers whose programs run on the network.</p></div>
<section class="panel"><h2>Add a brand</h2><form method="post" action="/admin/brands" class="grid-form" novalidate>${csrfField(v.csrf)}
${field({ name: "name", label: "Brand name", value: v.values?.name, errors: v.errors, required: true })}
<div class="form-actions"><button type="submit" class="primary">Add brand</button></div></form></section>
<section class="panel">${v.filters}<p class="muted small">${v.total} brand${v.total === 1 ? "" : "s"}</p>
${dataTable({
    caption: "Brands", rows: v.rows, state: v.state, rowId: (b) => `brand-${b.id}`,
    empty: "Add the first brand above, then create a program for it.",
    columns: [
      { key: "name", label: "Brand", sortable: true, cell: (b) => html`<a href="/admin/brands/${b.id}">${b.name}</a>` },
      { key: "programs", label: "Programs", numeric: true, sortable: true, cell: (b) => `${b.active_programs} active / ${b.programs}` },
      { key: "users", label: "Users", numeric: true, sortable: true, cell: (b) => b.users },
      { key: "created", label: "Added", sortable: true, cell: (b) => when(b.created_ms, v.tz) },
    ],
  })}
${pager({ path: v.state.path, params: v.state.params, nextCursor: v.nextCursor })}</section>`;
}

export function brandDetailView(v: {
  brand: { id: string; name: string }; csrf: string; tz: string; values?: Record<string, string>; errors?: Errors;
  programs: { id: string; name: string; status: string; commission_type: string; commission_value: string; currency: string }[];
  users: { email: string; status: string }[]; keys: { prefix: string; mode: string; created_at: string | null; revoked_at: string | null }[];
}): SafeHtml {
  return html`<div class="page-head"><p class="crumbs"><a href="/admin/brands">Brands</a></p><h1>${v.brand.name}</h1></div>
<section class="panel"><h2>Details</h2><form method="post" action="/admin/brands/${v.brand.id}" class="grid-form" novalidate>${csrfField(v.csrf)}
${field({ name: "name", label: "Brand name", value: v.values?.name ?? v.brand.name, errors: v.errors, required: true })}
<div class="form-actions"><button type="submit" class="primary">Save</button></div></form></section>
<section class="panel"><h2>Programs <span class="count">${v.programs.length}</span></h2>
${v.programs.length ? html`<ul class="plain">${v.programs.map((p) => html`<li><a href="/admin/programs/${p.id}">${p.name}</a> ${badge(p.status)} <span class="muted small">${commissionText(p)}</span></li>`)}</ul>`
    : html`<div class="empty"><p>No programs yet. <a href="/admin/programs/new?brand_id=${v.brand.id}">Create one for ${v.brand.name}</a>.</p></div>`}</section>
<section class="panel"><h2>Users <span class="count">${v.users.length}</span></h2>
${v.users.length ? html`<ul class="plain">${v.users.map((u) => html`<li>${u.email} ${badge(u.status)}</li>`)}</ul>` : html`<div class="empty"><p>Nobody from ${v.brand.name} can sign in yet. <a href="/admin/users">Invite a brand user</a>.</p></div>`}</section>
<section class="panel"><h2>API keys <span class="count">${v.keys.filter((k) => !k.revoked_at).length}</span></h2>
${v.keys.length ? html`<ul class="plain">${v.keys.map((k) => html`<li><code>${k.prefix}…</code> ${k.mode} ${k.revoked_at ? badge("revoked") : badge("active")}</li>`)}</ul>` : html`<p class="muted">No keys yet.</p>`}
<p class="muted small">Keys are shown once when created; only their first characters are kept in view. <a href="/admin/brands/${v.brand.id}/keys">Create or revoke this brand's keys</a>.</p></section>`;
}

export interface PublisherItem { id: string; name: string; email: string; status: string; payout: string; created_ms: number; links: number }

export function publishersView(v: Paged<PublisherItem> & { values?: Record<string, string>; errors?: Errors }): SafeHtml {
  return html`<div class="page-head"><h1>Publishers</h1><p class="muted">Affiliates who promote programs. Self-signups wait here as <em>pending</em> until you approve them.</p></div>
<section class="panel"><h2>Add a publisher</h2><form method="post" action="/admin/publishers" class="grid-form" novalidate>${csrfField(v.csrf)}
${field({ name: "name", label: "Name", value: v.values?.name, errors: v.errors, required: true })}
${field({ name: "email", label: "Contact email", type: "email", value: v.values?.email, errors: v.errors, required: true })}
<div class="form-actions"><button type="submit" class="primary">Add publisher</button></div></form></section>
<section class="panel">${v.filters}<p class="muted small">${v.total} publisher${v.total === 1 ? "" : "s"}</p>
${dataTable({
    caption: "Publishers", rows: v.rows, state: v.state, rowId: (p) => `publisher-${p.id}`,
    empty: "Add a publisher above, invite its user from Users, or turn on open signup in Settings.",
    columns: [
      { key: "name", label: "Publisher", sortable: true, cell: (p) => html`<a href="/admin/publishers/${p.id}">${p.name}</a><br><span class="muted small">${p.email}</span>` },
      { key: "status", label: "Status", sortable: true, cell: (p) => badge(p.status) },
      { key: "payout", label: "Payout method", cell: (p) => p.payout === "not set" ? html`<span class="muted">not set</span>` : p.payout },
      { key: "links", label: "Links", numeric: true, sortable: true, cell: (p) => p.links },
      { key: "created", label: "Joined", sortable: true, cell: (p) => when(p.created_ms, v.tz) },
      { key: "actions", label: "Actions", cell: (p) => p.status === "pending"
        ? html`<form method="post" action="/admin/publishers/${p.id}/approve" class="inline">${csrfField(v.csrf)}<button type="submit" class="small primary" aria-label="Approve ${p.name}">Approve</button></form>`
        : html`<a class="button small secondary" href="/admin/publishers/${p.id}">Edit</a>` },
    ],
  })}
${pager({ path: v.state.path, params: v.state.params, nextCursor: v.nextCursor })}</section>`;
}

export function publisherDetailView(v: { p: PublisherItem; csrf: string; values?: Record<string, string>; errors?: Errors; error?: string | null; links: { program_name: string; status: string }[] }): SafeHtml {
  const val = v.values ?? { name: v.p.name, email: v.p.email, status: v.p.status };
  return html`<div class="page-head"><p class="crumbs"><a href="/admin/publishers">Publishers</a></p><h1>${v.p.name}</h1><p class="muted">${badge(v.p.status)}</p></div>
${v.p.status === "pending" ? html`<div class="flash flash-ok" role="status">This publisher signed up and is waiting for approval. <form method="post" action="/admin/publishers/${v.p.id}/approve" class="inline">${csrfField(v.csrf)}<button type="submit" class="small primary">Approve publisher</button></form></div>` : ""}
${formError(v.error)}
<section class="panel"><h2>Details</h2><form method="post" action="/admin/publishers/${v.p.id}" class="grid-form" novalidate>${csrfField(v.csrf)}
${field({ name: "name", label: "Name", value: val.name, errors: v.errors })}
${field({ name: "email", label: "Contact email", type: "email", value: val.email, errors: v.errors })}
${v.p.status === "pending" ? html`<input type="hidden" name="status" value="pending">` : select({ name: "status", label: "Status", value: val.status, errors: v.errors, options: [{ value: "active", label: "active" }, { value: "suspended", label: "suspended (links stop redirecting)" }] })}
<div class="form-actions"><button type="submit" class="primary">Save</button></div></form></section>
<section class="panel"><h2>Payout method</h2><p>${v.p.payout}</p><p class="muted small">The publisher sets this under its own Settings; details are masked here.</p></section>
<section class="panel"><h2>Programs <span class="count">${v.links.length}</span></h2>
${v.links.length ? html`<ul class="plain">${v.links.map((l) => html`<li>${l.program_name} ${badge(l.status)}</li>`)}</ul>` : html`<p class="muted">No applications or links yet. <a href="/admin/links">Create a link</a>.</p>`}</section>`;
}

export function brandProgramsView(v: Paged<BrandProgram>): SafeHtml {
  return html`<div class="page-head"><h1>Programs</h1><p class="muted">Your programs on the network and the publishers promoting them. To change terms or pause a program, contact the network.</p></div>
<section class="panel">${v.filters}
${dataTable({
    caption: "Programs", rows: v.rows, state: v.state, rowId: (p) => `program-${p.id}`,
    empty: "The network has not set up a program for you yet. Contact it to launch your first offer.",
    columns: [
      { key: "name", label: "Program", sortable: true, cell: (p) => html`<a href="/dashboard/brand/programs/${p.id}">${p.name}</a>` },
      { key: "status", label: "Status", sortable: true, cell: (p) => badge(p.status) },
      { key: "commission", label: "Commission", cell: (p) => commissionText(p) },
      { key: "fee", label: "Network fee", numeric: true, cell: (p) => `${p.network_fee_pct}% of commission` },
      { key: "publishers", label: "Publishers", numeric: true, sortable: true, cell: (p) => html`${p.publishers.length}${p.pending ? html` <span class="muted small">(+${p.pending} applying)</span>` : ""}` },
      { key: "created", label: "Since", sortable: true, cell: (p) => when(p.created_at, v.tz) },
    ],
  })}
${pager({ path: v.state.path, params: v.state.params, nextCursor: v.nextCursor })}</section>`;
}

export function brandProgramView(p: BrandProgram, tz: string): SafeHtml {
  return html`<div class="page-head"><p class="crumbs"><a href="/dashboard/brand/programs">Programs</a></p><h1>${p.name}</h1><p class="muted">${badge(p.status)} · since ${when(p.created_at, tz)}</p></div>
<section class="panel"><h2>Terms</h2><dl class="facts">
<div><dt>Commission</dt><dd>${commissionText(p)}</dd></div><div><dt>Network fee</dt><dd>${p.network_fee_pct}% of the commission</dd></div>
<div><dt>Cookie window</dt><dd>${p.cookie_window_days} days</dd></div><div><dt>Auto-approve</dt><dd>${p.auto_approve_days ? `after ${p.auto_approve_days} days` : "no: conversions are reviewed"}</dd></div>
<div><dt>Destination</dt><dd><code>${p.dest_url}</code></dd></div></dl></section>
<section class="panel"><h2>Approved publishers <span class="count">${p.publishers.length}</span></h2>
${p.publishers.length ? html`<ul class="plain">${p.publishers.map((n) => html`<li>${n}</li>`)}</ul>` : html`<p class="muted">No approved publishers yet. The network reviews applications from its publishers.</p>`}
${p.pending ? html`<p class="muted small">${p.pending} application${p.pending === 1 ? "" : "s"} waiting for the network's review.</p>` : ""}</section>`;
}
