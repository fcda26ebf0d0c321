import { formatInZone } from "../../src/shared/zoned-time";
import { html, type SafeHtml } from "../html";
import { formatMinor } from "../../src/shared/money";

/** A time in the network timezone, machine-readable in UTC. */
export function when(ms: number | null | undefined, tz: string, seconds = false): SafeHtml {
  if (ms === null || ms === undefined) return html`<span class="muted">—</span>`;
  return html`<time datetime="${new Date(ms).toISOString()}" title="${tz}">${formatInZone(ms, tz, seconds)}</time>`;
}

/** An amount with its currency ("12.50 USD"). */
export const money = (minor: number, currency: string) => `${formatMinor(minor, currency)} ${currency}`;
