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
import { acceptInvite } from "./auth/users/accept-invite";
import { createUser } from "./auth/users/create-user";

export interface DemoInfo {
  adminToken: string;
  brandId: string;
  liveKey: string;
  testKey: string;
  programs: { id: string; name: string }[];
  links: { program: string; publisher: string; url: string }[];
  /** Console users; passwords only on the run that created them (only hashes are kept). */
  users: { email: string; role: string; password: string | null }[];
}

const DEMO_USERS = [
  { email: "admin@demo.example", role: "admin" as const, password: "demo-admin-pass" },
  { email: "brand@demo.example", role: "brand" as const, password: "demo-brand-pass" },
  { email: "publisher@demo.example", role: "publisher" as const, password: "demo-publisher-pass" },
];

/** Demo console users through the real verbs: create (invite link), then accept the invite with a fixed password. */
async function seedUsers(ctx: AppContext, brandId: string, publisherId: string) {
  for (const u of DEMO_USERS) {
    const created = await createUser(ctx, SYSTEM, { email: u.email, role: u.role, brandId: u.role === "brand" ? brandId : null, publisherId: u.role === "publisher" ? publisherId : null });
    await acceptInvite(ctx, created.invite_url.split("/invite/")[1]!, u.password);
  }
}

/**
 * Demo data: one brand, two programs, two publishers, every pair approved.
 * Seeded once per database (remembered in settings); every run mints a fresh
 * admin token and brand keys, because stored ones are only hashes.
 */
export async function seedDemo(ctx: AppContext): Promise<DemoInfo> {
  const [seen] = await ctx.db.select().from(settings).where(eq(settings.key, "demo"));
  let state: { brandId: string; programs: { id: string; name: string }[]; publishers: { id: string; name: string }[] };
  let fresh = false;
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
    await seedUsers(ctx, brand.id, trail.id);
    fresh = true;
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
  const users = DEMO_USERS.map((u) => ({ email: u.email, role: u.role, password: fresh ? u.password : null }));
  return { adminToken: admin.token, brandId: state.brandId, liveKey: live.key, testKey: test.key, programs: state.programs, links, users };
}

export function describeDemo(info: DemoInfo, publicUrl: string): string {
  const p = info.programs[0]!;
  return [
    "Demo data is ready.",
    "",
    `Sign in to the console at ${publicUrl}/login:`,
    ...info.users.map((u) => `  ${u.role.padEnd(9)} ${u.email.padEnd(24)} ${u.password ? `password ${u.password}` : "(password printed when first seeded; reset: lastclick user reset-password --email " + u.email + ")"}`),
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
