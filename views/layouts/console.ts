import { html, type SafeHtml } from "../html";

export interface ConsoleUser { email: string; role: string; status: string }
export interface ConsoleNavLink { href: string; label: string; current: boolean; group?: string }
export interface ConsoleChrome {
  networkName: string;
  user: ConsoleUser;
  csrf: string;
  nav: ConsoleNavLink[];
  flash?: { kind: "ok" | "error"; text: string } | null;
}

export function flashMessage(flash: ConsoleChrome["flash"]): SafeHtml {
  if (!flash) return html``;
  return html`<div class="flash flash-${flash.kind}" role="${flash.kind === "error" ? "alert" : "status"}">${flash.text}</div>`;
}

/** Consecutive links with the same group share one list under its heading; ungrouped links form their own list. */
function navLists(links: ConsoleNavLink[], idPrefix: string): SafeHtml {
  const runs: { group?: string; links: ConsoleNavLink[] }[] = [];
  for (const l of links) {
    const last = runs[runs.length - 1];
    if (last && last.group === l.group) last.links.push(l);
    else runs.push({ group: l.group, links: [l] });
  }
  return html`${runs.map((r, i) => {
    const items = r.links.map((l) => html`<li><a href="${l.href}"${l.current ? html` aria-current="page"` : ""}>${l.label}</a></li>`);
    if (!r.group) return html`<ul>${items}</ul>`;
    const id = `${idPrefix}-g${i}`;
    return html`<p class="nav-group" id="${id}">${r.group}</p><ul aria-labelledby="${id}">${items}</ul>`;
  })}`;
}

/**
 * The console page: header with the network name, role navigation, the user
 * menu (sign out posts the CSRF token), flash message and the page body.
 * htmx sends X-CSRF-Token on every request from hx-headers on <body>.
 * `fragment` (an htmx request) returns the main content alone.
 */
export function consolePage(title: string, chrome: ConsoleChrome, body: SafeHtml, fragment = false): string {
  const main = html`${flashMessage(chrome.flash)}${body}`;
  if (fragment) return main.value;
  const headers = JSON.stringify({ "X-CSRF-Token": chrome.csrf });
  // Pages with live regions (data-live, see public/live.js) get the live script and its indicator.
  const live = /\sdata-live="/.test(body.value);
  const current = chrome.nav.find((l) => l.current);
  // Escape closes the open menu or disclosure (the one holding focus, else the user or nav menu) and gives its button the focus back.
  const escape = "if(event.key==='Escape'){var d=(event.target.closest&&event.target.closest('details[open]'))||document.querySelector('details.usermenu[open],details.navmenu[open]');if(d){d.open=false;d.querySelector('summary').focus()}}";
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${title} · ${chrome.networkName}</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/public/app.css"><script src="/public/htmx.js" defer></script>${live ? html`<script src="/public/live.js" defer></script>` : ""}</head>
<body class="console" hx-headers="${headers}" onkeydown="${escape}">
<a class="skip" href="#main">Skip to content</a>
<header class="topbar">
  <a class="brand" href="/">${chrome.networkName}</a>
  <details class="navmenu"><summary aria-controls="mainnav"${current ? html` data-current="${current.label}"` : ""}><span class="navmenu-icon" aria-hidden="true"></span>Menu</summary></details>
  ${live ? html`<span id="live-status" class="live-status" data-state="connecting" role="status" aria-live="polite"><span class="live-dot" aria-hidden="true"></span><span class="live-text">Connecting…</span></span>` : ""}
  <details class="usermenu"><summary aria-label="Account menu for ${chrome.user.email}"><span class="avatar" aria-hidden="true">${chrome.user.email.slice(0, 1).toUpperCase()}</span><span class="who">${chrome.user.email}</span></summary>
    <div class="menu">
      <p class="muted">Signed in as ${chrome.user.role}</p>
      <a href="/account">Account &amp; password</a>
      <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${chrome.csrf}"><button type="submit" class="link">Sign out</button></form>
    </div>
  </details>
</header>
<div class="shell">
  <nav class="mainnav" id="mainnav" aria-label="Main">${navLists(chrome.nav, "mn")}</nav>
  <main id="main" tabindex="-1">${main}</main>
</div>
</body></html>`.value;
}
