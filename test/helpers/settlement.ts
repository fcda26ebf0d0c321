import type { TestApp } from "./app";
import { api, approve, click, makeBrand, makeProgram, postback } from "./factories";

export const OCT_10 = Date.UTC(2026, 9, 10, 12);
export const NOV_1 = Date.UTC(2026, 10, 1, 0, 5);

type Seedable = Pick<TestApp, "request" | "adminToken">;

/**
 * Two brands, three publishers (two with PayPal, one without a payout method),
 * approved conversions in October 2026 through clicks and postbacks, and a
 * generic integration on Acme's program. Call with the clock in October.
 */
export async function octoberNetwork(s: Seedable) {
  const t = s as TestApp;
  const acme = await makeBrand(t, "Acme Outdoor");
  const other = await makeBrand(t, "Other Shop");
  const tents = await makeProgram(t, acme.id, { name: "Tents", commission_type: "flat_cpa", commission_value: "100.00", network_fee_pct: "20" });
  const mugs = await makeProgram(t, other.id, { name: "Mugs", commission_type: "flat_cpa", commission_value: "80.00", network_fee_pct: "20" });
  const pub = (name: string, email: string, method?: string) => api(t, "POST", "/api/admin/publishers", { name, email, ...(method && { payout_method: method, payout_details: { email } }) });
  const alpha = await pub("Ålpha Blog <b>", "alpha@pub.example", "PayPal");
  const beta = await pub("Beta Reviews", "beta@pub.example", "PayPal");
  const nomethod = await pub("No Method Media", "none@pub.example");
  const linkA = await approve(t, tents.id, alpha.id);
  const linkN = await approve(t, tents.id, nomethod.id);
  const linkB = await approve(t, mugs.id, beta.id);
  const conv = async (brandKey: string, programId: string, slug: string, ref: string) => {
    const { clickId } = await click(t, `/go/${slug}`);
    const { conversion } = await (await postback(t, brandKey, { program_id: programId, brand_order_ref: ref, order_value: "250.00", order_currency: "USD", lc_click: clickId })).json();
    await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`);
    return conversion.id as string;
  };
  await conv(acme.liveKey, tents.id, linkA.slug, "A-1001");
  await conv(acme.liveKey, tents.id, linkA.slug, "A-1002");
  await conv(acme.liveKey, tents.id, linkN.slug, "N-2001");
  await conv(other.liveKey, mugs.id, linkB.slug, "B-3001");
  const integ = await api(t, "POST", "/api/admin/integrations", { program_id: tents.id, provider: "generic", mode: "live", secret: "generic-secret-0123456789", vendor_id: "vendor-1" });
  return { acme, other, tents, mugs, alpha, beta, nomethod, linkA, integrationId: integ.id as string };
}
