import { html, type SafeHtml } from "../html";

export interface ConsoleUser { email: string; role: string; status: string }
export interface ConsoleChrome {
  networkName: string;
  user: ConsoleUser;
  csrf: string;
  nav: { href: string; label: string; current: boolean }[];
  flash?: { kind: "ok" | "error"; text: string } | null;
}

export function flashMessage(flash: ConsoleChrome["flash"]): SafeHtml {
  if (!flash) return html``;
  return html`<div class="flash flash-${flash.kind}" role="${flash.kind === "error" ? "alert" : "status"}">${flash.text}</div>`;
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
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${title} · ${chrome.networkName}</title>
<link rel="stylesheet" href="/public/app.css"><script src="/public/htmx.js" defer></script>${live ? html`<script src="/public/live.js" defer></script>` : ""}</head>
<body class="console" hx-headers="${headers}">
<a class="skip" href="#main">Skip to content</a>
<header class="topbar">
  <a class="brand" href="/">${chrome.networkName}</a>
  <nav class="mainnav" aria-label="Main"><ul>
    ${chrome.nav.map((l) => html`<li><a href="${l.href}"${l.current ? html` aria-current="page"` : ""}>${l.label}</a></li>`)}
  </ul></nav>
  ${live ? html`<span id="live-status" class="live-status" data-state="connecting" role="status" aria-live="polite"><span class="live-dot" aria-hidden="true"></span><span class="live-text">Connecting…</span></span>` : ""}
  <details class="usermenu"><summary><span class="avatar" aria-hidden="true">${chrome.user.email.slice(0, 1).toUpperCase()}</span><span class="who">${chrome.user.email}</span></summary>
    <div class="menu">
      <p class="muted">Signed in as ${chrome.user.role}</p>
      <a href="/account">Account &amp; password</a>
      <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${chrome.csrf}"><button type="submit" class="link">Sign out</button></form>
    </div>
  </details>
</header>
<main id="main" tabindex="-1">${main}</main>
</body></html>`.value;
}
