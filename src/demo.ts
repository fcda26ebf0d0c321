import { eq } from "drizzle-orm";
import { createApproval } from "./network/approvals";
import { createBrand, createBrandApiKey, revokeBrandApiKey } from "./network/brands";
import { putFxRate } from "./network/fx-rates";
import { createProgram } from "./network/programs";
import { createPublisher } from "./network/publishers";
import { createAdminToken, revokeAdminToken } from "./network/admin-tokens";
import { SYSTEM } from "./auth/authenticate";
import type { AppContext } from "./context";
import { adminTokens, settings } from "./db/schema";
import { acceptInvite } from "./auth/users/accept-invite";
import { createUser } from "./auth/users/create-user";
import { seedSmartLinks } from "./demo-smart-links";
import { attributesSchema } from "./smartlinks/attributes";

/** The demo's secrets, printed on the run that minted them (stored ones are only hashes). */
export interface DemoKeys { adminToken: string; liveKey: string; testKey: string }

export interface DemoInfo {
  /** Null when an earlier run minted them and they are still active. */
  keys: DemoKeys | null;
  brandId: string;
  programs: { id: string; name: string }[];
  links: { program: string; publisher: string; url: string }[];
  /** The demo smart link's code (absent in databases seeded before smart links). */
  smartLink: { code: string } | null;
  /** Console users with their demo passwords (fixed, so a newcomer can sign in at once). */
  users: { email: string; role: string; password: string }[];
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

interface DemoState {
  brandId: string;
  programs: { id: string; name: string }[];
  publishers: { id: string; name: string }[];
  /** The admin token and brand keys the demo minted last (absent in databases seeded before this was kept). */
  minted?: { adminTokenId: string; keyIds: string[] };
  /** The smart link seeded with the rubric and scores (absent in databases seeded before smart links). */
  smartLink?: { code: string };
}

/**
 * Demo data: one brand, two programs, two publishers, every pair approved;
 * a published rubric, both programs scored (one above, one below the
 * threshold) and a smart link with a match page.
 * Seeded once per database (remembered in settings). The admin token "demo"
 * and two brand keys are minted on the first run only, so re-running does not
 * pile up tokens; `newKeys` revokes them and mints fresh ones (lost tokens).
 */
export async function seedDemo(ctx: AppContext, opts: { newKeys?: boolean } = {}): Promise<DemoInfo> {
  const [seen] = await ctx.db.select().from(settings).where(eq(settings.key, "demo"));
  const state: DemoState = seen ? JSON.parse(seen.value) : await seedData(ctx);
  const links: DemoInfo["links"] = [];
  for (const program of state.programs) {
    for (const publisher of state.publishers) {
      const { approval } = await createApproval(ctx, SYSTEM, { program_id: program.id, publisher_id: publisher.id });
      links.push({ program: program.name, publisher: publisher.name, url: approval.tracking_url });
    }
  }
  let keys: DemoKeys | null = null;
  if (opts.newKeys || !(await mintedStillActive(ctx, state))) {
    keys = await mintKeys(ctx, state);
    await ctx.db.update(settings).set({ value: JSON.stringify(state) }).where(eq(settings.key, "demo"));
  }
  const users = DEMO_USERS.map((u) => ({ email: u.email, role: u.role, password: u.password }));
  return { keys, brandId: state.brandId, programs: state.programs, links, users, smartLink: state.smartLink ?? null };
}

async function seedData(ctx: AppContext): Promise<DemoState> {
  const brand = await createBrand(ctx, SYSTEM, { name: "Acme Outdoor" });
  const tents = await createProgram(ctx, SYSTEM, {
    brand_id: brand.id, name: "Acme Tents", dest_url: "https://example.com/tents?src=affiliate#top", status: "active",
    commission_type: "percentage", commission_value: "10", currency: "USD", cookie_window_days: 30, network_fee_pct: "20",
    pass_through_params: true, attributes: attributesSchema.parse({ category: ["camping", "tents"], countries: ["US", "CA", "GB", "DE"], devices: ["desktop", "mobile", "tablet"] }),
  });
  const boots = await createProgram(ctx, SYSTEM, {
    brand_id: brand.id, name: "Acme Boots", dest_url: "https://example.com/boots", status: "active",
    commission_type: "flat_cpa", commission_value: "15.00", currency: "USD", cookie_window_days: 30, network_fee_pct: "20",
    auto_approve_days: 14, pass_through_params: false, attributes: attributesSchema.parse({ category: ["camping", "boots"], countries: ["US", "CA"], devices: ["desktop", "mobile"] }),
  });
  const trail = await createPublisher(ctx, SYSTEM, { name: "Trail Blog", email: "pay@trailblog.example", payout_method: "PayPal", payout_details: { email: "pay@trailblog.example" } });
  const gear = await createPublisher(ctx, SYSTEM, { name: "Gear Reviews", email: "ops@gearreviews.example" });
  await putFxRate(ctx, SYSTEM, { base: "EUR", quote: "USD", rate: "1.08" });
  await seedUsers(ctx, brand.id, trail.id);
  const smartLink = await seedSmartLinks(ctx, tents.id, boots.id, trail.id);
  const state: DemoState = { brandId: brand.id, programs: [tents, boots].map((p) => ({ id: p.id, name: p.name })), publishers: [trail, gear].map((p) => ({ id: p.id, name: p.name })), smartLink };
  await ctx.db.insert(settings).values({ key: "demo", value: JSON.stringify(state) }).onConflictDoNothing();
  return state;
}

async function mintedStillActive(ctx: AppContext, state: DemoState): Promise<boolean> {
  if (!state.minted) return false;
  const [token] = await ctx.db.select().from(adminTokens).where(eq(adminTokens.id, state.minted.adminTokenId));
  return !!token && token.revokedAt === null;
}

/** Revokes what the demo minted before (if anything), mints a new token and keys, records their ids in `state`. */
async function mintKeys(ctx: AppContext, state: DemoState): Promise<DemoKeys> {
  const now = ctx.clock.now();
  if (state.minted) {
    await revokeAdminToken(ctx.db, SYSTEM, state.minted.adminTokenId, now).catch(() => undefined);
    for (const keyId of state.minted.keyIds) await revokeBrandApiKey(ctx, SYSTEM, state.brandId, keyId).catch(() => undefined);
  }
  const admin = await createAdminToken(ctx.db, "demo", now, SYSTEM);
  const live = await createBrandApiKey(ctx, SYSTEM, state.brandId, "live");
  const test = await createBrandApiKey(ctx, SYSTEM, state.brandId, "test");
  state.minted = { adminTokenId: admin.id, keyIds: [live.id, test.id] };
  return { adminToken: admin.token, liveKey: live.key, testKey: test.key };
}

export function describeDemo(info: DemoInfo, publicUrl: string): string {
  const p = info.programs[0]!;
  const admin = info.keys?.adminToken ?? "<the demo admin token>";
  const live = info.keys?.liveKey ?? "<the demo live key>";
  const secrets = info.keys ? [
    `Admin token "demo" (Authorization: Bearer ...; shown this once): ${info.keys.adminToken}`,
    `Brand "Acme Outdoor" live key: ${info.keys.liveKey}`,
    `Brand "Acme Outdoor" test key: ${info.keys.testKey}`,
  ] : [
    `The admin token "demo" and the brand keys were printed when this database was first seeded (only their hashes are kept).`,
    `Lost them? Run the demo again with --new-keys (npm run demo -- --new-keys): it revokes them and prints new ones.`,
  ];
  return [
    "Demo data is ready.",
    "",
    `Sign in to the console at ${publicUrl}/login:`,
    ...info.users.map((u) => `  ${u.role.padEnd(9)} ${u.email.padEnd(24)} password ${u.password}`),
    "",
    ...secrets,
    "",
    "Tracking links:",
    ...info.links.map((l) => `  ${l.program.padEnd(11)} x ${l.publisher.padEnd(13)} ${l.url}`),
    "",
    "Try it: open a link (the redirect carries ?lc_click=...), then report a sale:",
    `  curl -s ${publicUrl}/api/conv -H 'Authorization: Bearer ${live}' -H 'Content-Type: application/json' \\`,
    `    -d '{"program_id":"${p.id}","brand_order_ref":"ORDER-1","order_value":"99.00","order_currency":"USD","lc_click":"<click id>"}'`,
    `  curl -s ${publicUrl}/api/admin/conversions -H 'Authorization: Bearer ${admin}'`,
    ...(info.smartLink ? [
      "",
      "Smart links (routed by fit against the public rubric, never by payout):",
      `  Public rubric:    ${publicUrl}/rubric   (machine-readable: ${publicUrl}/rubric.json)`,
      `  Smart link:       ${publicUrl}/go/m/${info.smartLink.code}   (Trail Blog, category camping)`,
      `  Its match page:   ${publicUrl}/m/${info.smartLink.code}`,
    ] : []),
    "",
    `Admin tokens: lastclick token list | create --name NAME | revoke ID`,
    `API reference: ${publicUrl}/api/openapi.json`,
  ].join("\n");
}
