import { html, type SafeHtml } from "../html";

const formats = new Map<string, Intl.DateTimeFormat>();
function fmt(zone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withTime}`;
  let f = formats.get(key);
  if (!f) formats.set(key, f = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", ...(withTime && { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }) }));
  return f;
}

/** A date (or date and time) in the network timezone, for text and CSV. */
export function zoned(t: number | string | null | undefined, zone: string, withTime = false): string {
  if (t === null || t === undefined || t === "") return "";
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return "";
  return fmt(zone, withTime).format(d).replace(",", "");
}

/** A <time> element showing the network-timezone date, the exact instant as its datetime. */
export function when(t: number | string | null | undefined, zone: string, withTime = false): SafeHtml {
  const text = zoned(t, zone, withTime);
  return text ? html`<time datetime="${new Date(t!).toISOString()}" title="${zone}">${text}</time>` : html`<span class="muted">—</span>`;
}

/** An amount with its currency, never added across currencies. */
export const amount = (formatted: string, currency: string) => html`<span class="amount">${formatted}&nbsp;<span class="ccy">${currency}</span></span>`;

/** A status badge with words, not identifiers ("on hold", not "on_hold"). */
export const statusBadge = (status: string) => html`<span class="badge badge-${status}">${status.replace(/_/g, " ")}</span>`;
