import { html } from "../html";
import { publicPage } from "../layouts/page";

export interface ErrorPageInput {
  status: number;
  title: string;
  message: string;
  /** The id the error was logged with (500), so a person can quote it. */
  id?: string;
  /** A same-site page the person came from, offered as the way back. */
  back?: string | null;
  networkName?: string;
}

/**
 * What a person's browser gets for an unknown address or a failure outside the
 * console's own error handling: a styled page that says what happened and
 * offers a way back, never raw JSON. API clients keep getting JSON.
 */
export function errorPageView(o: ErrorPageInput): string {
  return publicPage(o.title, html`<h1>${o.title}</h1>
<p>${o.message}</p>
<p class="status-code">Error ${o.status}.${o.id ? html` Reference <code>${o.id}</code>.` : ""}</p>
<p class="error-actions">${o.back ? html`<a class="button primary" href="${o.back}">Back to the previous page</a>` : ""}<a class="button${o.back ? "" : " primary"}" href="/login">Go to the console</a></p>`, { networkName: o.networkName });
}
