import { html, type SafeHtml } from "../html";

export type Errors = Record<string, string[]> | undefined;

/** A labelled input with its errors next to it (aria-describedby, aria-invalid). */
export function field(o: { name: string; label: string; type?: string; value?: string; errors?: Errors; autocomplete?: string; required?: boolean; hint?: string; minlength?: number }): SafeHtml {
  const errs = o.errors?.[o.name] ?? [];
  const id = `f-${o.name}`;
  const described = [o.hint ? `${id}-hint` : "", errs.length ? `${id}-err` : ""].filter(Boolean).join(" ");
  return html`<div class="field${errs.length ? " has-error" : ""}">
<label for="${id}">${o.label}</label>
<input id="${id}" name="${o.name}" type="${o.type ?? "text"}" value="${o.value ?? ""}"${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ""}${o.required ? html` required` : ""}${o.minlength ? html` minlength="${o.minlength}"` : ""}${described ? html` aria-describedby="${described}"` : ""}${errs.length ? html` aria-invalid="true"` : ""}>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ""}
${errs.length ? html`<p class="error" id="${id}-err">${errs.join("; ")}</p>` : ""}
</div>`;
}

export function select(o: { name: string; label: string; options: { value: string; label: string }[]; value?: string; errors?: Errors }): SafeHtml {
  const errs = o.errors?.[o.name] ?? [];
  const id = `f-${o.name}`;
  return html`<div class="field${errs.length ? " has-error" : ""}">
<label for="${id}">${o.label}</label>
<select id="${id}" name="${o.name}"${errs.length ? html` aria-invalid="true" aria-describedby="${id}-err"` : ""}>
${o.options.map((op) => html`<option value="${op.value}"${op.value === o.value ? html` selected` : ""}>${op.label}</option>`)}
</select>
${errs.length ? html`<p class="error" id="${id}-err">${errs.join("; ")}</p>` : ""}
</div>`;
}

/** A form-level error (the "_" key, or a message that is about no single field). */
export function formError(message: string | undefined | null): SafeHtml {
  return message ? html`<div class="flash flash-error" role="alert">${message}</div>` : html``;
}

export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;
