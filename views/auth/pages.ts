import { csrfField, field, formError, type Errors } from "../components/form";
import { html, type SafeHtml } from "../html";

export function loginView(o: { email?: string; next?: string | null; error?: string | null; csrf?: string | null; openSignup: boolean; networkName: string }): SafeHtml {
  return html`<h1>Sign in to ${o.networkName}</h1>
${formError(o.error)}
<form method="post" action="/login${o.next ? `?next=${encodeURIComponent(o.next)}` : ""}" class="stack" novalidate>
${o.csrf ? csrfField(o.csrf) : ""}
${field({ name: "email", label: "Email", type: "email", value: o.email, autocomplete: "username", required: true })}
${field({ name: "password", label: "Password", type: "password", autocomplete: "current-password", required: true })}
<button type="submit" class="primary">Sign in</button>
</form>
<p class="muted small">Forgot your password? Ask your network administrator for a new sign-in link.${o.openSignup ? html` New publisher? <a href="/signup">Apply to join</a>.` : ""}</p>`;
}

export function setPasswordView(o: { csrf?: string | null; token: string; email: string; errors?: Errors; error?: string | null; reset: boolean }): SafeHtml {
  return html`<h1>${o.reset ? "Choose a new password" : "Welcome! Choose your password"}</h1>
<p>For <strong>${o.email}</strong>. Use at least 10 characters; a few unrelated words make a good one.</p>
${formError(o.error)}
<form method="post" action="/invite/${o.token}" class="stack" novalidate>
${o.csrf ? csrfField(o.csrf) : ""}
<input type="text" name="username" value="${o.email}" autocomplete="username" hidden>
${field({ name: "password", label: "New password", type: "password", autocomplete: "new-password", required: true, minlength: 10, errors: o.errors })}
${field({ name: "confirm", label: "Repeat the password", type: "password", autocomplete: "new-password", required: true, errors: o.errors })}
<button type="submit" class="primary">Set password and sign in</button>
</form>`;
}

export function signupView(o: { csrf?: string | null; values?: Record<string, string>; errors?: Errors; error?: string | null; networkName: string }): SafeHtml {
  const v = o.values ?? {};
  return html`<h1>Join ${o.networkName} as a publisher</h1>
<p>Tell us who you are. The network reviews every application; you can sign in while it is pending.</p>
${formError(o.error)}
<form method="post" action="/signup" class="stack" novalidate>
${o.csrf ? csrfField(o.csrf) : ""}
${field({ name: "name", label: "Site or company name", value: v.name, required: true, errors: o.errors })}
${field({ name: "email", label: "Email", type: "email", value: v.email, autocomplete: "username", required: true, errors: o.errors })}
${field({ name: "password", label: "Password", type: "password", autocomplete: "new-password", required: true, minlength: 10, hint: "At least 10 characters.", errors: o.errors })}
${field({ name: "confirm", label: "Repeat the password", type: "password", autocomplete: "new-password", required: true, errors: o.errors })}
<button type="submit" class="primary">Apply</button>
</form>
<p class="muted small">Already have an account? <a href="/login">Sign in</a>.</p>`;
}

export function signupClosedView(): SafeHtml {
  return html`<h1>Signup is closed</h1><p>This network is not accepting publisher applications right now. If you were invited, use the link from your invitation.</p><p><a href="/login">Sign in</a></p>`;
}

export function accountView(o: { email: string; role: string; csrf: string; errors?: Errors; error?: string | null }): SafeHtml {
  return html`<h1>Your account</h1>
<p>Signed in as <strong>${o.email}</strong> (${o.role}).</p>
<section class="panel"><h2>Change password</h2>
${formError(o.error)}
<form method="post" action="/account" class="stack narrow" novalidate>${csrfField(o.csrf)}
<input type="text" name="username" value="${o.email}" autocomplete="username" hidden>
${field({ name: "current", label: "Current password", type: "password", autocomplete: "current-password", required: true, errors: o.errors })}
${field({ name: "password", label: "New password", type: "password", autocomplete: "new-password", required: true, minlength: 10, hint: "At least 10 characters. Your other sessions will be signed out.", errors: o.errors })}
${field({ name: "confirm", label: "Repeat the new password", type: "password", autocomplete: "new-password", required: true, errors: o.errors })}
<button type="submit" class="primary">Change password</button>
</form></section>`;
}
