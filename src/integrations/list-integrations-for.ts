import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Actor } from "../auth/authenticate";
import { brandOf } from "../auth/party-scope";
import type { AppContext } from "../context";
import { brands, inbox, integrations, programs } from "../db/schema";
import { NotFound } from "../shared/errors";
import { webhookUrl } from "./integration-store";
import type { Verdict } from "./inbox";

export type VerdictCounts = Record<Verdict, number>;

export interface IntegrationListItem {
  id: string; provider: string; mode: "test" | "live"; brandId: string; brandName: string; programId: string; programName: string;
  programCurrency: string; currency: string | null; webhookUrl: string; basicUser: string | null; vendorId: string | null;
  ipAllowlist: string[] | null; trustedProxies: string[] | null; hasSecret: boolean; createdAt: number; updatedAt: number;
  /** Inbox verdicts of this integration's requests (network only; null for a brand). */
  counts: VerdictCounts | null;
}

/**
 * The integrations an actor may see: the network all of them with their
 * inbox verdict counts, a brand user its own brand's (never another's, and
 * without the inbox counts, which include requests that failed authentication).
 */
export async function listIntegrationsFor(ctx: AppContext, actor: Actor, filter: { id?: string } = {}): Promise<IntegrationListItem[]> {
  const brandId = brandOf(actor);
  const rows = await ctx.db.select({ i: integrations, brandName: brands.name, programName: programs.name, programCurrency: programs.currency })
    .from(integrations).innerJoin(programs, eq(programs.id, integrations.programId)).innerJoin(brands, eq(brands.id, integrations.brandId))
    .where(and(brandId ? eq(integrations.brandId, brandId) : undefined, filter.id ? eq(integrations.id, filter.id) : undefined))
    .orderBy(desc(integrations.createdAt));
  const counts = brandId === null ? await verdictCounts(ctx, filter.id) : null;
  return rows.map(({ i, brandName, programName, programCurrency }) => ({
    id: i.id, provider: i.provider, mode: i.mode, brandId: i.brandId, brandName, programId: i.programId, programName, programCurrency,
    currency: i.currency, webhookUrl: webhookUrl(ctx, i), basicUser: i.basicUser, vendorId: i.vendorId,
    ipAllowlist: i.ipAllowlist ? JSON.parse(i.ipAllowlist) : null, trustedProxies: i.trustedProxies ? JSON.parse(i.trustedProxies) : null,
    hasSecret: !!(i.secretSealed || i.secretHash), createdAt: i.createdAt, updatedAt: i.updatedAt,
    counts: counts ? counts.get(i.id) ?? { accepted: 0, duplicate: 0, updated: 0, rejected: 0 } : null,
  }));
}

/** One integration the actor may see, else 404 (another brand's id looks like no id at all). */
export async function getIntegrationFor(ctx: AppContext, actor: Actor, integrationId: string): Promise<IntegrationListItem> {
  const [row] = await listIntegrationsFor(ctx, actor, { id: integrationId });
  if (!row) throw new NotFound("Integration not found");
  return row;
}

/** Requests per integration and verdict (a flood's sample row counts every request it stands for). */
async function verdictCounts(ctx: AppContext, integrationId?: string): Promise<Map<string, VerdictCounts>> {
  const rows = await ctx.db.select({ id: inbox.integrationId, verdict: inbox.verdict, n: sql<number>`sum(${inbox.repeatCount})` })
    .from(inbox).where(and(isNotNull(inbox.integrationId), integrationId ? eq(inbox.integrationId, integrationId) : undefined))
    .groupBy(inbox.integrationId, inbox.verdict);
  const out = new Map<string, VerdictCounts>();
  for (const r of rows) {
    const c = out.get(r.id!) ?? { accepted: 0, duplicate: 0, updated: 0, rejected: 0 };
    c[r.verdict] = Number(r.n);
    out.set(r.id!, c);
  }
  return out;
}
