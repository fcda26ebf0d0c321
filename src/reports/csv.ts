/**
 * RFC 4180 CSV: fields with a comma, quote or line break are quoted (quotes
 * doubled). A text cell starting with = + - @ (or tab / CR) is prefixed with '
 * so a spreadsheet never runs it as a formula: sub-ids come from visitors' URLs.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
