import { formatInZone } from "../../src/shared/zoned-time";
import { html, type SafeHtml } from "../html";
import { formatMinor } from "../../src/shared/money";

/**
 * A time in the network timezone, machine-readable in UTC. The third argument
 * is `true` for seconds, or the text shown when there is no time.
 */
export function when(at: number | string | null | undefined, tz: string, opts: boolean | string = false): SafeHtml {
  if (at === null || at === undefined) return html`<span class="muted">${typeof opts === "string" ? opts : "—"}</span>`;
  const ms = typeof at === "number" ? at : Date.parse(at);
  return html`<time datetime="${new Date(ms).toISOString()}" title="${tz}">${formatInZone(ms, tz, opts === true)}</time>`;
}

/** A time for a narrow table cell: the date, and the time under it in small print. */
export function whenStacked(at: number | string | null | undefined, tz: string): SafeHtml {
  if (at === null || at === undefined) return when(at, tz);
  const ms = typeof at === "number" ? at : Date.parse(at);
  const [day, time] = formatInZone(ms, tz, false).split(" ");
  return html`<time class="stacked" datetime="${new Date(ms).toISOString()}" title="${formatInZone(ms, tz, true)} ${tz}">${day} <span class="time">${time ?? ""}</span></time>`;
}

/** An amount with its currency ("12.50 USD"). */
export const money = (minor: number, currency: string) => `${formatMinor(minor, currency)} ${currency}`;

const formats = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formats.set(tz, f);
  }
  return f;
}

/** "2026-11-02 13:05" in the network timezone (ms or ISO text in). */
export function formatWhen(at: number | string, tz: string): string {
  const ms = typeof at === "number" ? at : Date.parse(at);
  const p = Object.fromEntries(formatter(tz).formatToParts(ms).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Milliseconds the zone is ahead of UTC at `ms`. */
function offsetAt(ms: number, tz: string): number {
  const p = Object.fromEntries(formatter(tz).formatToParts(ms).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute));
  return wall - Math.floor(ms / 60_000) * 60_000;
}

/** Start of a `YYYY-MM-DD` day in the network timezone, as UTC ms; null if not a real date. */
export function dayStart(date: string | null | undefined, tz: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? "");
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(utc).toISOString().slice(0, 10) !== date) return null;
  const first = utc - offsetAt(utc, tz);
  return utc - offsetAt(first, tz);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(zone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withTime}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, f = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", ...(withTime && { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }) }));
  return f;
}

/** A date (or date and time) in the network timezone, for text and CSV. */
export function zoned(t: number | string | null | undefined, zone: string, withTime = false): string {
  if (t === null || t === undefined || t === "") return "";
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return "";
  return dateFormat(zone, withTime).format(d).replace(",", "");
}

/** An amount with its currency, never added across currencies. */
export const amount = (formatted: string, currency: string) => html`<span class="amount">${formatted}&nbsp;<span class="ccy">${currency}</span></span>`;

/** A status badge with words, not identifiers ("on hold", not "on_hold"). */
export const statusBadge = (status: string) => html`<span class="badge badge-${status}">${status.replace(/_/g, " ")}</span>`;
