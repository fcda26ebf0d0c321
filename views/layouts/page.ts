import { html, type SafeHtml } from "../html";

/** The bare public page shell (no console chrome); `wide` for forms beside text. */
export function publicPage(title: string, body: SafeHtml, opts: { networkName?: string } = {}): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${title} · ${opts.networkName ?? "Lastclick"}</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/public/app.css"></head>
<body class="public">${opts.networkName ? html`<p class="network">${opts.networkName}</p>` : ""}<main class="card">${body}</main></body></html>`.value;
}
