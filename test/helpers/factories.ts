import { expect } from "bun:test";
import type { TestApp } from "./app";

/** Factories go through the real management API, so they exercise it too. */
export async function api<T = any>(t: TestApp, method: string, path: string, json?: unknown, token = t.adminToken): Promise<T> {
  const res = await t.request(path, { method, json, token });
  const body = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(body)}`);
  return body as T;
}

export async function makeBrand(t: TestApp, name = "Acme") {
  const brand = await api(t, "POST", "/api/admin/brands", { name });
  const live = await api(t, "POST", `/api/admin/brands/${brand.id}/api-keys`, { mode: "live" });
  const test = await api(t, "POST", `/api/admin/brands/${brand.id}/api-keys`, { mode: "test" });
  return { id: brand.id as string, liveKey: live.key as string, testKey: test.key as string };
}

export async function makeProgram(t: TestApp, brandId: string, over: Record<string, unknown> = {}) {
  return api(t, "POST", "/api/admin/programs", {
    brand_id: brandId, name: "Tents", dest_url: "https://shop.example/tents", commission_type: "percentage",
    commission_value: "10", currency: "USD", ...over,
  });
}

export async function makePublisher(t: TestApp, name = "Blog") {
  return api(t, "POST", "/api/admin/publishers", { name, email: `${name.toLowerCase().replace(/\W/g, "")}@pub.example` });
}

export async function approve(t: TestApp, programId: string, publisherId: string) {
  return api(t, "POST", "/api/admin/approvals", { program_id: programId, publisher_id: publisherId });
}

/** Follows a tracking link like a browser would (without following the redirect). */
export async function click(t: TestApp, slugPath: string, headers: Record<string, string> = {}) {
  const res = await t.request(slugPath, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130", ...headers } });
  expect(res.status).toBe(302);
  const location = res.headers.get("location")!;
  const clickId = new URL(location).searchParams.get("lc_click")!;
  return { res, location, clickId };
}

export async function postback(t: TestApp, key: string, body: Record<string, unknown>) {
  return t.request("/api/conv", { method: "POST", token: key, json: body });
}

/** A ready network: brand with keys, program, two approved publishers. */
export async function network(t: TestApp, programOver: Record<string, unknown> = {}) {
  const brand = await makeBrand(t);
  const program = await makeProgram(t, brand.id, programOver);
  const pubA = await makePublisher(t, "Alpha Blog");
  const pubB = await makePublisher(t, "Beta Reviews");
  const linkA = await approve(t, program.id, pubA.id);
  const linkB = await approve(t, program.id, pubB.id);
  return { brand, program, pubA, pubB, linkA, linkB, pathA: `/go/${linkA.slug}`, pathB: `/go/${linkB.slug}` };
}
