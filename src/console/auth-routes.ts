import { z } from "zod";
import { clearSessionCookie, createSession, endSession, sessionCookie } from "../auth/sessions";
import { acceptInvite } from "../auth/users/accept-invite";
import { changePassword } from "../auth/users/change-password";
import { findUsableInvite } from "../auth/users/invites";
import { logIn } from "../auth/users/log-in";
import { signUp } from "../auth/users/sign-up";
import { Validation } from "../shared/errors";
import { accountView, loginView, setPasswordView, signupClosedView, signupView } from "../../views/auth/pages";
import { flashCookie, redirect, type ConsoleRequest, type ConsoleRoute } from "./http";
import { HOME, safeNext } from "./nav";
import { parseForm, passwordPair } from "./forms";
import { render, renderPublic } from "./pages";

const INCORRECT = "Email or password is incorrect.";

function loginPage(c: ConsoleRequest, o: { email?: string; error?: string | null }, status = 200) {
  const next = safeNext(c.url.searchParams.get("next"));
  return renderPublic(c, "Sign in", loginView({ ...o, next, csrf: c.auth?.session.csrfToken, openSignup: c.network.openSignup, networkName: c.network.networkName }), status);
}

/** Signs the user in: a new session (the browser's old one is deleted), then its home or a safe `next`. */
async function startSession(c: ConsoleRequest, userId: string, role: keyof typeof HOME, next: string | null) {
  const { token } = await createSession(c.ctx, userId, c.auth?.token ?? null);
  return redirect(c, next ?? HOME[role], [sessionCookie(c.ctx, token)]);
}

const signupForm = z.object({ name: z.string().trim().min(1, "is required").max(200), email: z.email("must be an email address").max(254) }).and(passwordPair);

/** Sign in and out, invites, publisher signup, the account page. */
export const authRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/login", access: "public", handler: (c) => loginPage(c, {}) },
  { method: "POST", path: "/login", access: "public", handler: async (c) => {
    const email = (c.form?.get("email") ?? "").slice(0, 254);
    const password = (c.form?.get("password") ?? "").slice(0, 200);
    if (!email || !password) return loginPage(c, { email, error: INCORRECT }, 401);
    const r = await logIn(c.ctx, { email, password, ip: c.ip });
    if (r.ok) return startSession(c, r.user.id, r.user.role, safeNext(c.url.searchParams.get("next")));
    if (r.reason === "locked") return loginPage(c, { email, error: `Too many attempts, try again in ${r.retryMinutes} minute${r.retryMinutes === 1 ? "" : "s"}.` }, 429);
    return loginPage(c, { email, error: INCORRECT }, 401);
  } },
  { method: "POST", path: "/logout", access: "public", handler: async (c) => {
    if (c.auth) await endSession(c.ctx, c.auth.token);
    return redirect(c, "/login", [clearSessionCookie(c.ctx), flashCookie("ok", "You are signed out.")]);
  } },

  { method: "GET", path: "/invite/{token}", access: "public", handler: async (c) => {
    const { user } = await findUsableInvite(c.ctx, c.params.token!);
    return renderPublic(c, "Set your password", setPasswordView({ csrf: c.auth?.session.csrfToken, token: c.params.token!, email: user.email, reset: user.passwordHash !== null }));
  } },
  { method: "POST", path: "/invite/{token}", access: "public", handler: async (c) => {
    const { user } = await findUsableInvite(c.ctx, c.params.token!);
    const f = parseForm(passwordPair, c.form);
    if (!f.ok) return renderPublic(c, "Set your password", setPasswordView({ csrf: c.auth?.session.csrfToken, token: c.params.token!, email: user.email, reset: user.passwordHash !== null, errors: f.errors }), 422);
    const accepted = await acceptInvite(c.ctx, c.params.token!, f.data.password);
    return startSession(c, accepted.id, accepted.role, null);
  } },

  { method: "GET", path: "/signup", access: "public", handler: (c) =>
    c.network.openSignup ? renderPublic(c, "Apply", signupView({ csrf: c.auth?.session.csrfToken, networkName: c.network.networkName })) : renderPublic(c, "Signup is closed", signupClosedView(), 404) },
  { method: "POST", path: "/signup", access: "public", handler: async (c) => {
    if (!c.network.openSignup) return renderPublic(c, "Signup is closed", signupClosedView(), 404);
    const values = { name: c.form?.get("name") ?? "", email: c.form?.get("email") ?? "" };
    const f = parseForm(signupForm, c.form);
    if (!f.ok) return renderPublic(c, "Apply", signupView({ csrf: c.auth?.session.csrfToken, values, errors: f.errors, networkName: c.network.networkName }), 422);
    try {
      const user = await signUp(c.ctx, f.data);
      return startSession(c, user.id, user.role, null);
    } catch (e) {
      if (e instanceof Validation) return renderPublic(c, "Apply", signupView({ csrf: c.auth?.session.csrfToken, values, errors: e.fields, networkName: c.network.networkName }), 422);
      throw e;
    }
  } },

  { method: "GET", path: "/account", access: ["admin", "brand", "publisher"], allowPending: true, handler: (c) =>
    render(c, "Account", accountView({ email: c.auth!.user.email, role: c.auth!.user.role, csrf: c.auth!.session.csrfToken })) },
  { method: "POST", path: "/account", access: ["admin", "brand", "publisher"], allowPending: true, handler: async (c) => {
    const view = (errors?: Record<string, string[]>, error?: string) => accountView({ email: c.auth!.user.email, role: c.auth!.user.role, csrf: c.auth!.session.csrfToken, errors, error });
    const f = parseForm(z.object({ current: z.string().min(1, "is required") }).and(passwordPair), c.form);
    if (!f.ok) return render(c, "Account", view(f.errors), 422);
    try {
      await changePassword(c.ctx, c.auth!, { current: f.data.current, password: f.data.password });
    } catch (e) {
      if (e instanceof Validation) return render(c, "Account", view(e.fields, e.message), 422);
      throw e;
    }
    return redirect(c, "/account", [flashCookie("ok", "Your password was changed. Other sessions were signed out.")]);
  } },
];
