import { desc, eq } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { publishers, smartLinks } from "../db/schema";
import { auditIfChanged } from "../audit/audit";
import { Conflict, Validation } from "../shared/errors";
import { uuidv7 } from "../shared/ids";
import { iso } from "../shared/time";
import { id } from "../shared/validators";
import { attributesSchema, type Attributes } from "./attributes";
import { formatHundredths } from "./points";
import type { SmartLinkRow } from "./router";

export const CODE_RE = /^[A-Za-z0-9_-]{3,64}$/;

export const createSmartLinkBody = z.strictObject({
  criteria: attributesSchema.default({}),
  publisher_id: id.optional(),
  code: z.string().regex(CODE_RE, "3 to 64 characters: letters, digits, _ or -").optional(),
  /** Whether /m/{code} shows the ranked matches (default true). */
  match_page: z.boolean().default(true),
});

/**
 * Creates a smart link, only if some program can take it now (eligible,
 * active, matching the criteria; approved for the publisher when one is
 * named): a link that can only ever show "no match" is refused, nothing stored.
 */
export async function createSmartLink(ctx: AppContext, actor: Actor, b: z.infer<typeof createSmartLinkBody>) {
  const now = ctx.clock.now();
  if (b.publisher_id) {
    const [p] = await ctx.db.select({ status: publishers.status }).from(publishers).where(eq(publishers.id, b.publisher_id));
    if (!p) throw new Validation({ publisher_id: ["no such publisher"] });
    if (p.status !== "active") throw new Validation({ publisher_id: ["this publisher is not active"] });
  }
  const draft: SmartLinkRow = { id: uuidv7(now), code: b.code ?? "", criteria: b.criteria, publisherId: b.publisher_id ?? null, matchPage: b.match_page, createdAt: now };
  const entry = await ctx.smart.entryFor(draft, now);
  if (!entry.rubric) throw new Validation({ criteria: ["no rubric is published yet, so no program is eligible"] });
  if (entry.choose({ country: null, device: null }).length === 0) {
    const whose = b.publisher_id ? " among the programs this publisher is approved for" : "";
    throw new Validation({ criteria: [`no eligible program (active, score >= ${formatHundredths(entry.rubric.thresholdHundredths)}) matches these criteria${whose}`] });
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = { ...draft, code: b.code ?? randomBytes(6).toString("base64url") };
    const [inserted] = await ctx.client.batch([
      {
        sql: "INSERT INTO smart_links (id, code, criteria, publisher_id, match_page, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(code) DO NOTHING",
        args: [row.id, row.code, JSON.stringify(row.criteria), row.publisherId, row.matchPage ? 1 : 0, now],
      },
      auditIfChanged({ actor, at: now, action: "smart_link.created", entityType: "smart_link", entityId: row.id, data: { code: row.code, criteria: row.criteria, publisher_id: row.publisherId } }),
    ], "write");
    if (inserted!.rowsAffected === 1) {
      ctx.smart.invalidate();
      return serializeSmartLink(ctx, row);
    }
    if (b.code) throw new Conflict(`The code "${b.code}" is already used by another smart link`);
  }
  throw new Conflict("Could not find a free code; try again");
}

export async function listSmartLinks(ctx: AppContext) {
  const rows = await ctx.db.select().from(smartLinks).orderBy(desc(smartLinks.createdAt));
  return rows.map((r) => serializeSmartLink(ctx, { ...r, criteria: JSON.parse(r.criteria) as Attributes }));
}

export function serializeSmartLink(ctx: Pick<AppContext, "config">, r: SmartLinkRow) {
  const base = ctx.config.PUBLIC_URL;
  return {
    id: r.id, code: r.code, url: `${base}/go/m/${r.code}`, match_page_url: r.matchPage ? `${base}/m/${r.code}` : null,
    criteria: r.criteria, publisher_id: r.publisherId, match_page: r.matchPage, created_at: iso(r.createdAt),
  };
}
