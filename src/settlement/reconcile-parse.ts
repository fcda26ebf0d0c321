import { parse } from "csv-parse/sync";
import { Validation } from "../shared/errors";

/** The columns a reconciliation needs, and where each platform's report puts them. */
export const FIELDS = ["order_id", "amount", "commission", "currency", "status"] as const;
export type Field = (typeof FIELDS)[number];
export type Mapping = Partial<Record<Field, string>>;
const REQUIRED: Field[] = ["order_id", "amount", "status"];

const norm = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, "");
export const KNOWN_HEADERS: Record<string, Record<Field, string[]>> = {
  generic: { order_id: ["order_id"], amount: ["amount"], commission: ["commission"], currency: ["currency"], status: ["status"] },
  refersion: { order_id: ["Order ID", "order_id"], amount: ["Order Total", "Total", "Sale Amount"], commission: ["Commission Total", "Commission"], currency: ["Currency"], status: ["Status", "Conversion Status"] },
  impact: { order_id: ["Oid", "Order Id", "OrderId"], amount: ["Sale Amount", "SaleAmount", "Amount"], commission: ["Payout", "Action Payout"], currency: ["Currency"], status: ["Status", "Action Status", "State"] },
  everflow: { order_id: ["Transaction ID", "transaction_id", "Order ID"], amount: ["Sale Amount", "sale_amount", "Revenue"], commission: ["Payout"], currency: ["Currency"], status: ["Status", "Conversion Status"] },
};

/** At most this many rows in one report (a month of one integration); larger: split it. */
export const MAX_ROWS = 50_000;

export interface ReportRow { line: number; values: Record<Field, string | null> }

/**
 * Reads a platform report: CSV with a header row. The columns come from an
 * explicit mapping (remembered per integration), else the provider's known
 * headers, else the generic form. Not CSV, too many rows, or no column for a
 * required field: a 422 that says which headers were found.
 */
export function parseReport(bytes: Uint8Array, provider: string, mapping: Mapping | null): { rows: ReportRow[]; mapping: Record<Field, string | null> } {
  if (bytes.includes(0)) throw new Validation({ file: ["is not a CSV text file (binary content)"] });
  let records: string[][];
  try {
    records = parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes), { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, to_line: MAX_ROWS + 2 });
  } catch (e) {
    throw new Validation({ file: [`is not a readable CSV: ${e instanceof Error ? e.message.slice(0, 200) : e}`] });
  }
  if (records.length < 1) throw new Validation({ file: ["is empty"] });
  if (records.length > MAX_ROWS + 1) throw new Validation({ file: [`has more than ${MAX_ROWS.toLocaleString("en")} rows: split it by date`] });
  const header = records[0]!;
  const index = new Map(header.map((h, i) => [norm(h), i]));
  const known = KNOWN_HEADERS[provider] ?? KNOWN_HEADERS.generic!;
  const resolved = {} as Record<Field, string | null>;
  const cols = {} as Record<Field, number | null>;
  for (const f of FIELDS) {
    const candidates = mapping?.[f] ? [mapping[f]!] : [...known[f], ...KNOWN_HEADERS.generic![f]];
    const hit = candidates.find((c) => index.has(norm(c)));
    resolved[f] = hit ?? null;
    cols[f] = hit ? index.get(norm(hit))! : null;
  }
  const missing = REQUIRED.filter((f) => cols[f] === null);
  if (missing.length) {
    throw new Validation({ file: [`no column for ${missing.join(", ")}; the headers are: ${header.slice(0, 30).join(", ")}. Send mapping={"order_id":"...","amount":"...","status":"..."} once; it is remembered`] }, "Unknown report headers");
  }
  const rows = records.slice(1).map((r, k) => ({
    line: k + 2,
    values: Object.fromEntries(FIELDS.map((f) => [f, cols[f] === null ? null : (r[cols[f]!] ?? "").trim() || null])) as Record<Field, string | null>,
  }));
  return { rows, mapping: resolved };
}

/** The header row of a report (for mapping unknown headers by hand); empty when the file is not readable CSV. */
export function reportHeaders(bytes: Uint8Array): string[] {
  try {
    const [first] = parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes), { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, to_line: 1 }) as string[][];
    return (first ?? []).filter((h) => h.length > 0).slice(0, 100);
  } catch {
    return [];
  }
}
