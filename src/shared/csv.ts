/**
 * CSV (RFC 4180) for console exports. A text cell that a spreadsheet would
 * read as a formula (starts with = + - @, tab or CR) gets a leading
 * apostrophe: order refs and names arrive from webhooks and are
 * attacker-controlled. Plain signed numbers (-12.50) are left as numbers.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && FORMULA.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: CsvCell[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

/** A CSV download response (UTF-8 BOM so spreadsheets read accents right). */
export function csvResponse(filename: string, header: string[], rows: CsvCell[][]): Response {
  const body = "\uFEFF" + csvLine(header) + rows.map(csvLine).join("");
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8", "cache-control": "no-store",
      "content-disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
      "x-content-type-options": "nosniff",
    },
  });
}
