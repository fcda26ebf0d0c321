import { expect } from "bun:test";
import type { TestApp } from "./app";
import { api } from "./factories";

export const FORM = { "content-type": "application/x-www-form-urlencoded" };
export const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

/** Creates a user through the API and sets its password through the invite page; returns its id. */
export async function makeUser(t: TestApp, email: string, role: "admin" | "brand" | "publisher", party: { brand_id?: string; publisher_id?: string } = {}, password = "correct horse battery") {
  const u = await api(t, "POST", "/api/admin/users", { email, role, ...party });
  const path = new URL(u.invite_url).pathname;
  const res = await t.request(path, { method: "POST", headers: FORM, body: form({ password, confirm: password }) });
  expect(res.status).toBe(303);
  return { id: u.id as string, invitePath: path };
}

/** Signs in through the form; returns the session cookie ("lc_session=...") and the response. */
export async function login(t: TestApp, email: string, password = "correct horse battery", query = "", headers: Record<string, string> = {}) {
  const res = await t.request(`/login${query}`, { method: "POST", headers: { ...FORM, ...headers }, body: form({ email, password }) });
  const setCookie = res.headers.get("set-cookie") ?? "";
  const m = /lc_session=([^;]*)/.exec(setCookie);
  return { res, cookie: m && m[1] ? `lc_session=${m[1]}` : "", setCookie };
}

/** The CSRF token of a session, read from a page's forms as a browser would. */
export async function csrfOf(t: TestApp, cookie: string, page = "/account"): Promise<string> {
  const html = await (await t.request(page, { headers: { cookie } })).text();
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF token on ${page}`);
  return m[1]!;
}
