import { html, type SafeHtml } from "../html";

/**
 * A read-only value with a Copy button (clipboard API; the button says
 * "Copied" for a moment). `id` must be unique on the page.
 */
export function copyField(id: string, value: string, label: string): SafeHtml {
  return html`<div class="copy"><input id="${id}" readonly value="${value}" aria-label="${label}" onfocus="this.select()"><button type="button" class="secondary copy-btn" data-copy="${id}" onclick="var b=this,i=document.getElementById(b.dataset.copy);i.select();(navigator.clipboard?navigator.clipboard.writeText(i.value):Promise.reject()).then(function(){b.textContent='Copied';setTimeout(function(){b.textContent='Copy'},1500)},function(){document.execCommand('copy')})">Copy</button></div>`;
}

/** A code block with a Copy button (setup snippets). */
export function codeBlock(id: string, label: string, code: string): SafeHtml {
  return html`<div class="code-block"><div class="code-head"><span>${label}</span><button type="button" class="small secondary" data-copy="${id}" onclick="var t=document.getElementById(this.dataset.copy);if(navigator.clipboard){navigator.clipboard.writeText(t.textContent);this.textContent='Copied'}">Copy</button></div><pre><code id="${id}">${code}</code></pre></div>`;
}

/** A long id in running text with a small Copy button beside it (conversion id, click id). `id` must be unique on the page. */
export function copyText(id: string, value: string, label: string): SafeHtml {
  return html`<span class="copy-text"><code id="${id}">${value}</code><button type="button" class="small secondary" data-copy="${id}" aria-label="Copy the ${label}" onclick="var b=this,t=document.getElementById(b.dataset.copy);if(navigator.clipboard){navigator.clipboard.writeText(t.textContent).then(function(){b.textContent='Copied';setTimeout(function(){b.textContent='Copy'},1500)})}">Copy</button></span>`;
}
