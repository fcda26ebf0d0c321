import type { listSmartLinksFor } from "../../src/smartlinks/list-smart-links-for";
import { copyField } from "./copy";
import { dataTable, type TableState } from "./data";
import { when } from "./when";
import { html, type SafeHtml } from "../html";

export type SmartLinkItem = Awaited<ReturnType<typeof listSmartLinksFor>>[number];

export function criteriaText(c: Record<string, string[]>): string {
  const parts = Object.entries(c).map(([k, v]) => `${k}: ${v.join(", ")}`);
  return parts.length ? parts.join(" · ") : "any";
}

/** Smart links with URL (copy), criteria, clicks, conversions and the match page (a live region: conversion counts move). */
export function smartLinkTable(o: { rows: SmartLinkItem[]; state: TableState; tz: string; showPublisher: boolean; empty: SafeHtml | string }): SafeHtml {
  return html`<div id="smart-links-table" data-live="conversions">${table(o)}</div>`;
}

function table(o: { rows: SmartLinkItem[]; state: TableState; tz: string; showPublisher: boolean; empty: SafeHtml | string }): SafeHtml {
  return dataTable({
    caption: "Smart links", rows: o.rows, state: o.state, rowId: (l) => `smart-link-${l.id}`, empty: o.empty,
    columns: [
      { key: "code", label: "Link", sortable: true, cell: (l) => html`<strong>${l.code}</strong>${copyField(`sl-${l.id}`, l.url, `URL of smart link ${l.code}`)}` },
      { key: "criteria", label: "Routes on", cell: (l) => criteriaText(l.criteria) },
      ...(o.showPublisher ? [{ key: "publisher", label: "Credits", sortable: true, cell: (l: SmartLinkItem) => l.publisher_name ?? html`<span class="muted">no publisher</span>` }] : []),
      { key: "clicks", label: "Clicks", numeric: true, sortable: true, cell: (l) => l.clicks },
      { key: "conversions", label: "Conversions", numeric: true, sortable: true, cell: (l) => l.conversions },
      { key: "match", label: "Match page", cell: (l) => l.match_page_url ? html`<a href="${l.match_page_url}" target="_blank" rel="noopener">/m/${l.code}</a>` : html`<span class="muted">off</span>` },
      { key: "created", label: "Created", sortable: true, cell: (l) => when(l.created_at, o.tz) },
    ],
  });
}
