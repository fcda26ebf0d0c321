import type { TableState } from "../../views/components/data";
import { dayStart } from "../../views/components/when";
import { DAY_MS } from "../shared/clock";
import type { ConsoleRequest } from "./http";

export const PAGE_SIZE = 50;

/** How a small in-memory list (integrations, keys, postbacks, smart links) sorts and filters. */
export interface ListSpec<R> {
  sorts: Record<string, (r: R) => string | number>;
  defaultSort: string;
  defaultDir?: "asc" | "desc";
  /** The row's date for the from/to filter (ms). */
  date?: (r: R) => number | null;
  /** The row's status for the status filter. */
  status?: (r: R) => string;
}

export interface ListPage<R> { rows: R[]; all: R[]; state: TableState; nextCursor: string | null }

/**
 * Filters (status, from/to days in the network timezone), sorts and pages a
 * list the actor may see (scope is applied by the domain verb that produced it).
 * `all` is the filtered, sorted list for the CSV export.
 */
export function listPage<R>(c: ConsoleRequest, rows: R[], spec: ListSpec<R>): ListPage<R> {
  const p = c.url.searchParams;
  const tz = c.ctx.config.NETWORK_TIMEZONE;
  const from = dayStart(p.get("from"), tz);
  const toStart = dayStart(p.get("to"), tz);
  const to = toStart === null ? null : toStart + DAY_MS;
  const status = p.get("status") || null;
  let out = rows.filter((r) => {
    if (status && spec.status && spec.status(r) !== status) return false;
    const d = spec.date?.(r) ?? null;
    if (from !== null && (d === null || d < from)) return false;
    if (to !== null && (d === null || d >= to)) return false;
    return true;
  });
  const sortKey = spec.sorts[p.get("sort") ?? ""] ? p.get("sort")! : spec.defaultSort;
  const dir = p.get("dir") === "asc" || p.get("dir") === "desc" ? p.get("dir") as "asc" | "desc" : spec.defaultDir ?? "asc";
  const key = spec.sorts[sortKey]!;
  out = out.toSorted((a, b) => {
    const x = key(a), y = key(b);
    const cmp = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return dir === "asc" ? cmp : -cmp;
  });
  const offset = Math.max(0, Number.parseInt(p.get("cursor") ?? "0", 10) || 0);
  const page = out.slice(offset, offset + PAGE_SIZE);
  return {
    rows: page, all: out, nextCursor: offset + PAGE_SIZE < out.length ? String(offset + PAGE_SIZE) : null,
    state: { path: c.url.pathname, params: p, sort: sortKey, dir },
  };
}

/** A cell of a CSV file: quoted when needed; a leading = + - @ is defused so a spreadsheet never runs it. */
function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** An RFC 4180 CSV download (CRLF line ends, header row first). */
export function csvResponse(filename: string, header: string[], rows: (string | number | boolean | null | undefined)[][]): Response {
  const body = [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
  return new Response(body, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" },
  });
}

/** The current page's URL with format=csv: the same filters and sort, every row. */
export function csvHref(c: ConsoleRequest): string {
  const p = new URLSearchParams(c.url.searchParams);
  p.delete("cursor");
  p.set("format", "csv");
  return `${c.url.pathname}?${p}`;
}

export const wantsCsv = (c: ConsoleRequest) => c.url.searchParams.get("format") === "csv";
