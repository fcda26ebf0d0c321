import { createApproval } from "./network/approvals";
import { SYSTEM } from "./auth/authenticate";
import type { AppContext } from "./context";
import { createSmartLink, createSmartLinkBody, putRubric, putRubricBody, putScores } from "./smartlinks";

/** The demo rubric: 11 signals a reader would ask about, weights summing to 100. */
export const DEMO_SIGNALS = [
  { key: "product_quality", weight: 15, name: "Product quality", description: "Independent tests, durability reports and return rates for the products sold." },
  { key: "transparent_pricing", weight: 12, name: "Transparent pricing", description: "The price shown is the price paid: taxes, fees and shipping visible before checkout." },
  { key: "refund_policy", weight: 10, name: "Refund policy", description: "At least 30 days to return, refunds to the original payment method, no restocking fee." },
  { key: "support", weight: 10, name: "Support responsiveness", description: "Median time to a useful human answer by mail or chat, measured with test tickets." },
  { key: "site_speed", weight: 8, name: "Site speed", description: "Time until the product page can be used on a mid-range phone over 4G." },
  { key: "privacy", weight: 8, name: "Privacy practices", description: "No third-party trackers without consent; a privacy policy that says what is shared with whom." },
  { key: "shipping", weight: 8, name: "Shipping coverage", description: "Countries served, delivery times kept, and tracking for every parcel." },
  { key: "reviews", weight: 8, name: "Customer reviews", description: "Verified-buyer ratings on independent review sites, including how complaints are handled." },
  { key: "accessibility", weight: 7, name: "Accessibility", description: "Checkout usable with a keyboard and a screen reader (WCAG 2.2 AA spot checks)." },
  { key: "data_security", weight: 8, name: "Data security", description: "HTTPS everywhere, no card data on the merchant's own servers, a published security contact." },
  { key: "cancellation", weight: 6, name: "Cancellation ease", description: "Orders and subscriptions can be cancelled online in as few steps as they were placed." },
];

/** Per signal, in DEMO_SIGNALS order. Tents: 83.60 (eligible); Boots: 60.80 (below the threshold of 70). */
const TENTS = [0.9, 0.85, 0.8, 0.9, 0.75, 0.8, 0.85, 0.9, 0.7, 0.85, 0.8];
const BOOTS = [0.7, 0.5, 0.6, 0.6, 0.8, 0.5, 0.7, 0.7, 0.5, 0.6, 0.4];
const byKey = (values: number[]) => Object.fromEntries(DEMO_SIGNALS.map((s, i) => [s.key, values[i]!]));

export const DEMO_SMART_CODE = "camping-gear";

/**
 * Publishes the demo rubric, scores the two demo programs (one above, one
 * below the threshold) and creates a smart link for the first publisher with
 * a match page. Programs carry their attributes from creation (src/demo.ts).
 */
export async function seedSmartLinks(ctx: AppContext, tentsId: string, bootsId: string, publisherId: string): Promise<{ code: string }> {
  await putRubric(ctx, SYSTEM, putRubricBody.parse({ threshold: 70, signals: DEMO_SIGNALS, flat_commission: { amount: "8.00", currency: "USD" } }));
  await putScores(ctx, SYSTEM, tentsId, { scores: byKey(TENTS), note: "Demo review: tested two tents over a wet weekend; refunds took 4 days." });
  await putScores(ctx, SYSTEM, bootsId, { scores: byKey(BOOTS), note: "Demo review: restocking fee on returns, slow support replies." });
  for (const programId of [tentsId, bootsId]) await createApproval(ctx, SYSTEM, { program_id: programId, publisher_id: publisherId });
  const link = await createSmartLink(ctx, SYSTEM, createSmartLinkBody.parse({ criteria: { category: "camping" }, publisher_id: publisherId, code: DEMO_SMART_CODE }));
  return { code: link.code };
}
