import type { TestApp } from "./app";
import { api, approve, makeBrand, makeProgram, makePublisher } from "./factories";

/** Three signals, weights 50 / 30 / 20. */
export const SIGNALS = [
  { key: "quality", name: "Product quality", description: "Independent tests and return rates", weight: 50 },
  { key: "service", name: "Customer service", weight: 30 },
  { key: "shipping", name: "Shipping & returns", description: "Speed, cost, free returns", weight: 20 },
];

export async function putRubric(t: TestApp, over: Record<string, unknown> = {}) {
  return api(t, "PUT", "/api/admin/rubric", { threshold: 70, signals: SIGNALS, flat_commission: { amount: "5.00", currency: "USD" }, ...over });
}

/** Scores giving an exact total: quality, service, shipping in 0..1. */
export async function score(t: TestApp, programId: string, quality: number | string, service: number | string, shipping: number | string, note?: string) {
  return api(t, "PUT", `/api/admin/programs/${programId}/scores`, { scores: { quality, service, shipping }, ...(note ? { note } : {}) });
}

/**
 * A small market: "tents" programs for everyone (A: 90.00, created first), a
 * DE-only one (B: 75.00), a mobile-only one (C: 72.00), a borderline one
 * (D: 69.90, not eligible) and a paused high scorer (E); plus boots (F: 80.00).
 */
export async function market(t: TestApp) {
  const brand = await makeBrand(t, "Outdoor Co");
  const mk = (name: string, attributes: Record<string, unknown>, over: Record<string, unknown> = {}) =>
    makeProgram(t, brand.id, { name, dest_url: `https://${name.toLowerCase().replace(/\W/g, "")}.example/`, attributes, ...over });
  const a = await mk("Alpine Tents", { category: "tents" });
  const b = await mk("Berlin Camping", { category: ["tents", "stoves"], countries: ["de", "AT"] }, { commission_value: "50" });
  const c = await mk("Pocket Tents", { category: "tents", device: "mobile" });
  const d = await mk("Borderline Tents", { category: "tents" }, { commission_value: "90" });
  const e = await mk("Paused Tents", { category: "tents" }, { status: "paused" });
  const f = await mk("Fell Boots", { category: "boots" });
  await putRubric(t);
  await score(t, a.id, 1, 0.8, 0.8);     // 50 + 24 + 16 = 90.00
  await score(t, b.id, 0.8, 0.7, 0.7);   // 40 + 21 + 14 = 75.00
  await score(t, c.id, 0.8, 0.6, 0.7);   // 40 + 18 + 14 = 72.00
  await score(t, d.id, 0.7, 0.7, 0.69);  // 35 + 21 + 13.8 = 69.80
  await score(t, e.id, 1, 1, 1);         // 100.00 but paused
  await score(t, f.id, 0.8, 0.8, 0.8);   // 80.00
  const pub = await makePublisher(t, "Camp Blog");
  return { brand, a, b, c, d, e, f, pub };
}

export async function smartLink(t: TestApp, body: Record<string, unknown>) {
  return api(t, "POST", "/api/admin/smart-links", body);
}

export const DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130 Safari/537.36";
export const PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";
export { approve };
