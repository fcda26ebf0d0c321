import { html, type SafeHtml } from "../html";
import { withParams } from "./data";

/** Pager for numbered pages (?page=N): previous, where you are, next. */
export function pageNumbers(o: { path: string; params: URLSearchParams; page: number; hasNext: boolean }): SafeHtml {
  if (o.page === 1 && !o.hasNext) return html``;
  const to = (n: number) => withParams(o.path, o.params, { page: n === 1 ? undefined : String(n) });
  return html`<nav class="pager" aria-label="Pages">
${o.page > 1 ? html`<a href="${to(o.page - 1)}" rel="prev">← Previous</a>` : html`<span></span>`}
<span class="muted">Page ${o.page}</span>
${o.hasNext ? html`<a href="${to(o.page + 1)}" rel="next">Next →</a>` : html`<span></span>`}</nav>`;
}
