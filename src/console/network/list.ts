import { filterBar, withParams, type TableState } from "../../../views/components/data";
import { html, type SafeHtml } from "../../../views/html";
import { dayStartInZone } from "../../shared/zoned-time";
import type { ConsoleRequest } from "../http";

export const PAGE_SIZE = 25;
const DAY_MS = 86_400_000;

/** How a network page lists its rows: sort keys, optional status / date / text filters, CSV columns. */
export interface ListSpec<R> {
  sorts: Record<string, (r: R) => string | number>;
  defaultSort: string;
  defaultDir?: "asc" | "desc";
  status?: { of: (r: R) => string; options: string[] };
  date?: (r: R) => number;
  search?: (r: R) => string;
  csv: { filename: string; columns: [string, (r: R) => string | number | null][] };
}

export interface Listed<R> { rows: R[]; total: number; state: TableState; nextCursor: string | null; csv: Response | null }

/**
 * RFC 4180 cell. Text starting with = + - @ (names from webhooks are attacker-controlled) is
 * prefixed with ' so a spreadsheet never runs it as a formula; plain numbers stay numbers.
 */
export function csvCell(v: string | number | null): string {
  let s = v === null ? "" : String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Filters (status, from/to days in the network timezone, text), sorts, and
 * pages (?cursor=offset) rows the domain already scoped to the actor; with
 * ?format=csv answers the whole filtered list as CSV instead.
 */
export function listRows<R>(c: ConsoleRequest, all: R[], spec: ListSpec<R>): Listed<R> {
  const p = c.url.searchParams;
  const tz = c.network.timezone;
  let rows = all;
  const status = p.get("status") ?? "";
  if (spec.status && spec.status.options.includes(status)) rows = rows.filter((r) => spec.status!.of(r) === status);
  const from = spec.date && p.get("from") ? dayStartInZone(p.get("from")!, tz) : null;
  const to = spec.date && p.get("to") ? dayStartInZone(p.get("to")!, tz) : null;
  if (from !== null) rows = rows.filter((r) => spec.date!(r) >= from);
  if (to !== null) rows = rows.filter((r) => spec.date!(r) < to + DAY_MS);
  const q = (p.get("q") ?? "").trim().toLowerCase();
  if (q && spec.search) rows = rows.filter((r) => spec.search!(r).toLowerCase().includes(q));
  const sortKey = spec.sorts[p.get("sort") ?? ""] ? p.get("sort")! : spec.defaultSort;
  const dir = p.get("dir") === "asc" || p.get("dir") === "desc" ? (p.get("dir") as "asc" | "desc") : (spec.defaultDir ?? "asc");
  const key = spec.sorts[sortKey]!;
  rows = rows.toSorted((a, b) => {
    const x = key(a), y = key(b);
    const cmp = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return dir === "asc" ? cmp : -cmp;
  });
  const state: TableState = { path: c.url.pathname, params: p, sort: sortKey, dir };
  if (p.get("format") === "csv") {
    const lines = [spec.csv.columns.map(([h]) => csvCell(h)).join(","), ...rows.map((r) => spec.csv.columns.map(([, f]) => csvCell(f(r))).join(","))];
    const csv = new Response(lines.join("\r\n") + "\r\n", { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${spec.csv.filename}.csv"`, "cache-control": "no-store" } });
    return { rows, total: rows.length, state, nextCursor: null, csv };
  }
  const offset = Math.max(0, Math.min(Number.parseInt(p.get("cursor") ?? "0", 10) || 0, rows.length));
  const page = rows.slice(offset, offset + PAGE_SIZE);
  return { rows: page, total: rows.length, state, nextCursor: offset + PAGE_SIZE < rows.length ? String(offset + PAGE_SIZE) : null, csv: null };
}

/** The filter bar for a list: status (if any), date range (if any), text search, and the CSV link for the same filters. */
export function listFilters(c: ConsoleRequest, o: { status?: string[]; dates?: boolean; search?: string }): SafeHtml {
  const p = c.url.searchParams;
  const v = (k: string) => p.get(k) ?? "";
  const controls = html`
${o.search ? html`<div class="field"><label for="flt-q">${o.search}</label><input id="flt-q" type="search" name="q" value="${v("q")}"></div>` : ""}
${o.status ? html`<div class="field"><label for="flt-status">Status</label><select id="flt-status" name="status"><option value="">Any</option>${o.status.map((s) => html`<option value="${s}"${v("status") === s ? html` selected` : ""}>${s}</option>`)}</select></div>` : ""}
${o.dates ? html`<div class="field"><label for="flt-from">From</label><input id="flt-from" type="date" name="from" value="${v("from")}"></div><div class="field"><label for="flt-to">To</label><input id="flt-to" type="date" name="to" value="${v("to")}"></div>` : ""}
${p.get("sort") ? html`<input type="hidden" name="sort" value="${v("sort")}"><input type="hidden" name="dir" value="${v("dir")}">` : ""}`;
  return filterBar({ path: c.url.pathname, controls, csvHref: withParams(c.url.pathname, p, { format: "csv", cursor: undefined }) });
}
