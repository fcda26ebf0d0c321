import { parse } from "csv-parse/sync";
import type { z } from "zod";
import { validate } from "../api/body";
import { BadRequest } from "../shared/errors";
import { bulkResultsBody } from "./payouts";

/** A payout file's results as CSV with the header payout_id,status,reference,reason (empty cells dropped). */
export function parsePayoutResultsCsv(raw: string): z.infer<typeof bulkResultsBody>["results"] {
  let rows: Record<string, string>[];
  try {
    rows = parse(raw, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
  } catch (e) {
    throw new BadRequest(`Not a readable CSV: ${e instanceof Error ? e.message : e}`);
  }
  return validate(bulkResultsBody, { results: rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== ""))) }).results;
}
