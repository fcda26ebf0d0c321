import { formatInZone } from "../../src/shared/zoned";
import { html, type SafeHtml } from "../html";

/** An instant shown in the network timezone, with the exact UTC time in the markup. */
export function when(ms: number | null | undefined, tz: string): SafeHtml {
  if (ms === null || ms === undefined) return html`<span class="muted">—</span>`;
  return html`<time datetime="${new Date(ms).toISOString()}" title="${tz}">${formatInZone(ms, tz)}</time>`;
}
