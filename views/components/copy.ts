import { html, type SafeHtml } from "../html";

const COPY = "var t=document.getElementById(this.dataset.copy);if(navigator.clipboard){navigator.clipboard.writeText(t.value!==undefined?t.value:t.textContent);this.textContent='Copied'}";

/** A read-only value with a Copy button (webhook URLs, keys shown once). */
export function copyField(id: string, label: string, value: string): SafeHtml {
  return html`<div class="copy"><input id="${id}" readonly value="${value}" aria-label="${label}" onfocus="this.select()"><button type="button" class="secondary" data-copy="${id}" onclick="${COPY}">Copy</button></div>`;
}

/** A code block with a Copy button (setup snippets). */
export function codeBlock(id: string, label: string, code: string): SafeHtml {
  return html`<div class="code-block"><div class="code-head"><span>${label}</span><button type="button" class="small secondary" data-copy="${id}" onclick="${COPY}">Copy</button></div><pre><code id="${id}">${code}</code></pre></div>`;
}
