import { html, type SafeHtml } from "../html";

export interface SignalBadge { kind: string; label: string; detail: string }

/** Fraud signals as small badges; the explanation shows on hover and keyboard focus, and is read out by screen readers. */
export function signalBadges(signals: SignalBadge[]): SafeHtml {
  if (signals.length === 0) return html`<span class="muted" aria-label="No signals">—</span>`;
  return html`<span class="signals">${signals.map((s) => html`<span class="signal signal-${s.kind}" tabindex="0" data-tip="${s.detail}">${s.label}<span class="sr-only">: ${s.detail}</span></span>`)}</span>`;
}
