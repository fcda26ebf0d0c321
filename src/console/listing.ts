import { stringify } from "csv-stringify/sync";
import { safeCell } from "../settlement/payout-export";
import type { ConsoleRequest } from "./http";

export const PAGE_SIZE = 50;

export interface Listed<R> { rows: R[]; total: number; sort?: string; dir: "asc" | "desc"; nextCursor: string | null }

/**
 * Sort and page a list the domain already scoped and filtered: ?sort=key&dir=,
 * ?cursor=offset. Lists here are bounded (a period's payouts or invoices).
 */
export function listing<R>(c: ConsoleRequest, rows: R[], sorts: Record<string, (r: R) => string | number>, def?: { sort: string; dir: "asc" | "desc" }): Listed<R> {
  const q = c.url.searchParams;
  const requested = q.get("sort") ?? "";
  const sort = sorts[requested] ? requested : def?.sort;
  const dir = q.get("dir") === "desc" || (!sorts[requested] && def?.dir === "desc") ? "desc" : "asc";
  let sorted = rows;
  if (sort && sorts[sort]) {
    const key = sorts[sort]!;
    sorted = rows.toSorted((a, b) => {
      const x = key(a), y = key(b);
      const r = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return dir === "asc" ? r : -r;
    });
  }
  const offset = Math.max(0, Math.min(Number.parseInt(q.get("cursor") ?? "0", 10) || 0, sorted.length));
  const page = sorted.slice(offset, offset + PAGE_SIZE);
  return { rows: page, total: rows.length, sort: requested && sorts[requested] ? requested : undefined, dir, nextCursor: offset + PAGE_SIZE < sorted.length ? String(offset + PAGE_SIZE) : null };
}

/** ?format=csv on a list page: the whole filtered list, every text cell escaped against formula injection. */
export const wantsCsv = (c: ConsoleRequest) => c.url.searchParams.get("format") === "csv";

export function csvResponse(filename: string, header: string[], rows: (string | number | null)[][]): Response {
  const body = stringify([header, ...rows.map((r) => r.map((x) => safeCell(x === null ? "" : String(x))))], { record_delimiter: "\r\n" });
  return new Response(body, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" } });
}

export function fileResponse(bytes: Uint8Array, type: string, filename: string, disposition: "inline" | "attachment" = "attachment"): Response {
  return new Response(bytes as BodyInit, { headers: { "content-type": type, "content-disposition": `${disposition}; filename="${filename}"`, "cache-control": "no-store", "x-content-type-options": "nosniff" } });
}

/** The CSV link of the current page: same filters and sort, all rows. */
export function csvHref(c: ConsoleRequest): string {
  const p = new URLSearchParams(c.url.searchParams);
  p.delete("cursor");
  p.set("format", "csv");
  return `${c.url.pathname}?${p}`;
}

/** Text query parameters for a filter form (empty = not filtered). */
export function filters<K extends string>(c: ConsoleRequest, keys: K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = c.url.searchParams.get(k)?.trim();
    if (v) out[k] = v.slice(0, 64);
  }
  return out;
}
