import { html, type SafeHtml } from "../../views/html";
import { csrfField } from "../../views/components/form";
import { consolePage, flashMessage } from "../../views/layouts/console";
import { publicPage } from "../../views/layouts/page";
import type { ConsoleRequest } from "./http";
import { htmlResponse } from "./http";
import { HOME, isCurrent, NAV } from "./nav";

/** A console page for the signed-in user: full page, or the fragment for htmx. */
export function render(c: ConsoleRequest, title: string, body: SafeHtml, status = 200, headers: Record<string, string> = {}): Response {
  const auth = c.auth!;
  const nav = NAV[auth.user.role].map((l) => ({ ...l, current: isCurrent(l, c.url.pathname) }));
  const chrome = { networkName: c.network.networkName, user: auth.user, csrf: auth.session.csrfToken, nav, flash: c.flash };
  return htmlResponse(consolePage(title, chrome, body, c.fragment), status, headers);
}

/** A public page (sign in, invite, signup) under the network's name. */
export function renderPublic(c: ConsoleRequest, title: string, body: SafeHtml, status = 200, headers: Record<string, string> = {}): Response {
  return htmlResponse(publicPage(title, html`${flashMessage(c.flash)}${body}`, { networkName: c.network.networkName }), status, headers);
}

/** The 4xx page (or fragment): what happened and where to go next; nothing was changed. */
export function errorPage(c: ConsoleRequest, status: number, title: string, message: string): string {
  // The same look as the app's 404/500 page (views/public/error.ts): what happened, then the ways on as buttons.
  const pending = c.auth?.user.status === "pending";
  const where = !c.auth ? html`<a class="button primary" href="/login">Sign in</a>`
    : pending ? "" : html`<a class="button primary" href="${HOME[c.auth.user.role]}">Go to your overview</a>`;
  const signOut = c.auth ? html`<form method="post" action="/logout">${csrfField(c.auth.session.csrfToken)}<button type="submit" class="secondary">Sign out</button></form>` : "";
  const body = html`<h1>${title}</h1><p>${message}</p><p class="status-code">Error ${status}.${pending ? html` Signed in as ${c.auth!.user.email}.` : ""}</p><div class="error-actions">${where}${signOut}</div>`;
  if (c.fragment) return html`<div class="flash flash-error" role="alert"><strong>${title}.</strong> ${message}</div>`.value;
  return publicPage(title, body, { networkName: c.network.networkName });
}
