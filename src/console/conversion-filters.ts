import { CONVERSION_STATUSES } from "../db/schema";
import { CONVERSION_SORTS, type ConversionSearch, type ConversionSort } from "../conversions/search-conversions";
import type { FieldErrors } from "../shared/errors";
import { dayStartInZone, nextDay } from "../shared/zoned-time";

export const PAGE_SIZE = 50;

/** A date range from the page's "from"/"to" fields (calendar days in the network timezone, "to" inclusive). */
export function dateRange(params: URLSearchParams, tz: string, errors: FieldErrors): { since?: number; until?: number } {
  const out: { since?: number; until?: number } = {};
  const from = params.get("from")?.trim(), to = params.get("to")?.trim();
  if (from) {
    const t = dayStartInZone(from, tz);
    t === null ? (errors.from = ["must be a date (YYYY-MM-DD)"]) : (out.since = t);
  }
  if (to) {
    const t = dayStartInZone(/^\d{4}-\d{2}-\d{2}$/.test(to) ? nextDay(to) : to, tz);
    t === null ? (errors.to = ["must be a date (YYYY-MM-DD)"]) : (out.until = t);
  }
  if (out.since !== undefined && out.until !== undefined && out.until <= out.since) errors.to = ["must be on or after the from date"];
  return out;
}

/**
 * The conversion filters of a console page's query string. Unknown values are
 * ignored (a hand-edited URL shows the unfiltered list), bad dates are field
 * errors. `allowedSorts` is what the role's table offers.
 */
export function conversionSearch(params: URLSearchParams, tz: string, allowedSorts: readonly ConversionSort[]): { search: ConversionSearch; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const status = get("status");
  const sort = get("sort");
  const test = get("test");
  const page = Number(get("page") ?? "1");
  const search: ConversionSearch = {
    status: (CONVERSION_STATUSES as readonly string[]).includes(status ?? "") ? status as ConversionSearch["status"] : undefined,
    programId: get("program_id")?.slice(0, 64), publisherId: get("publisher_id")?.slice(0, 64), brandId: get("brand_id")?.slice(0, 64),
    source: get("source")?.slice(0, 40), test: test === "test" ? true : test === "live" ? false : undefined,
    q: get("q")?.slice(0, 200),
    sort: sort && (CONVERSION_SORTS as readonly string[]).includes(sort) && allowedSorts.includes(sort as ConversionSort) ? sort as ConversionSort : "created_at",
    dir: get("dir") === "asc" ? "asc" : "desc",
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    limit: PAGE_SIZE,
    ...dateRange(params, tz, errors),
  };
  return { search, errors };
}
