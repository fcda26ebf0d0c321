import { eq } from "drizzle-orm";
import { createApproval } from "./admin/approvals";
import { createBrand, createBrandApiKey } from "./admin/brands";
import { putFxRate } from "./admin/fx-rates";
import { createProgram } from "./admin/programs";
import { createPublisher } from "./admin/publishers";
import { createAdminToken } from "./admin/admin-tokens";
import { SYSTEM } from "./auth/authenticate";
import type { AppContext } from "./context";
import { settings } from "./db/schema";

export interface DemoInfo {
  adminToken: string;
  brandId: string;
  liveKey: string;
  testKey: string;
  programs: { id: string; name: string }[];
  links: { program: string; publisher: string; url: string }[];
}

/**
 * Demo data: one brand, two programs, two publishers, every pair approved.
 * Seeded once per database (remembered in settings); every run mints a fresh
 * admin token and brand keys, because stored ones are only hashes.
 */
export async function seedDemo(ctx: AppContext): Promise<DemoInfo> {
  const [seen] = await ctx.db.select().from(settings).where(eq(settings.key, "demo"));
  let state: { brandId: string; programs: { id: string; name: string }[]; publishers: { id: string; name: string }[] };
  if (seen) {
    state = JSON.parse(seen.value);
  } else {
    const brand = await createBrand(ctx, SYSTEM, { name: "Acme Outdoor" });
    const tents = await createProgram(ctx, SYSTEM, {
      brand_id: brand.id, name: "Acme Tents", dest_url: "https://example.com/tents?src=affiliate#top", status: "active",
      commission_type: "percentage", commission_value: "10", currency: "USD", cookie_window_days: 30, network_fee_pct: "20",
      pass_through_params: true,
    });
    const boots = await createProgram(ctx, SYSTEM, {
      brand_id: brand.id, name: "Acme Boots", dest_url: "https://example.com/boots", status: "active",
      commission_type: "flat_cpa", commission_value: "15.00", currency: "USD", cookie_window_days: 30, network_fee_pct: "20",
      auto_approve_days: 14, pass_through_params: false,
    });
    const trail = await createPublisher(ctx, SYSTEM, { name: "Trail Blog", email: "pay@trailblog.example", payout_method: "PayPal", payout_details: { email: "pay@trailblog.example" } });
    const gear = await createPublisher(ctx, SYSTEM, { name: "Gear Reviews", email: "ops@gearreviews.example" });
    await putFxRate(ctx, SYSTEM, { base: "EUR", quote: "USD", rate: "1.08" });
    state = { brandId: brand.id, programs: [tents, boots].map((p) => ({ id: p.id, name: p.name })), publishers: [trail, gear].map((p) => ({ id: p.id, name: p.name })) };
    await ctx.db.insert(settings).values({ key: "demo", value: JSON.stringify(state) }).onConflictDoNothing();
  }
  const links: DemoInfo["links"] = [];
  for (const program of state.programs) {
    for (const publisher of state.publishers) {
      const { approval } = await createApproval(ctx, SYSTEM, { program_id: program.id, publisher_id: publisher.id });
      links.push({ program: program.name, publisher: publisher.name, url: approval.tracking_url });
    }
  }
  const admin = await createAdminToken(ctx.db, "demo", ctx.clock.now());
  const live = await createBrandApiKey(ctx, SYSTEM, state.brandId, "live");
  const test = await createBrandApiKey(ctx, SYSTEM, state.brandId, "test");
  return { adminToken: admin.token, brandId: state.brandId, liveKey: live.key, testKey: test.key, programs: state.programs, links };
}

export function describeDemo(info: DemoInfo, publicUrl: string): string {
  const p = info.programs[0]!;
  return [
    "Demo data is ready.",
    "",
    `Admin token (Authorization: Bearer ...): ${info.adminToken}`,
    `Brand "Acme Outdoor" live key: ${info.liveKey}`,
    `Brand "Acme Outdoor" test key: ${info.testKey}`,
    "",
    "Tracking links:",
    ...info.links.map((l) => `  ${l.program.padEnd(11)} x ${l.publisher.padEnd(13)} ${l.url}`),
    "",
    "Try it: open a link (the redirect carries ?lc_click=...), then report a sale:",
    `  curl -s ${publicUrl}/api/conv -H 'Authorization: Bearer ${info.liveKey}' -H 'Content-Type: application/json' \\`,
    `    -d '{"program_id":"${p.id}","brand_order_ref":"ORDER-1","order_value":"99.00","order_currency":"USD","lc_click":"<click id>"}'`,
    `  curl -s ${publicUrl}/api/admin/conversions -H 'Authorization: Bearer ${info.adminToken}'`,
    `API reference: ${publicUrl}/api/openapi.json`,
  ].join("\n");
}
