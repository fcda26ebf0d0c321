import { formatMinor } from "../../src/shared/money";

/** Display formats shared by the console's report views. */
export const count = (n: number) => n.toLocaleString("en-US");
export const money = (minor: number, currency: string) => `${groupDigits(formatMinor(Math.round(minor), currency))} ${currency}`;
/** Basis points of a rate -> "12.34%" ("—" when there is no rate). */
export const pct = (bps: number | null) => (bps === null ? "—" : `${(bps / 100).toFixed(2)}%`);

function groupDigits(s: string): string {
  const [whole, frac] = s.split(".");
  const sign = whole!.startsWith("-") ? "-" : "";
  const digits = whole!.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + digits + (frac !== undefined ? "." + frac : "");
}

const stamps = new Map<string, Intl.DateTimeFormat>();
/** "2026-11-02 13:05" in the network timezone (ISO string or ms in). */
export function localStamp(t: string | number, tz: string): string {
  let f = stamps.get(tz);
  if (!f) stamps.set(tz, f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }));
  return f.format(new Date(t)).replace(",", "");
}
