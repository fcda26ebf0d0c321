import { insertChange } from "../changes/write-change";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";
import { auditLog, programs } from "../db/schema";
import { auditValues } from "../audit/audit";
import { NotFound, Validation } from "../shared/errors";
import { uuidv7 } from "../shared/ids";
import { formatBps, formatMinor, MoneyParseError, parseMoneyToMinor, parsePercentToBps } from "../shared/money";
import { iso } from "../shared/time";
import { amount, currency, httpUrl, id } from "../shared/validators";
import { attributesSchema, parseAttributes, type Attributes } from "../smartlinks/attributes";
import { getBrand } from "./brands";

const programFields = {
  name: z.string().trim().min(1).max(200),
  dest_url: httpUrl,
  status: z.enum(["active", "paused"]),
  commission_type: z.enum(["flat_cpa", "percentage"]),
  /** flat_cpa: amount in the program currency ("12.50"); percentage: percent of order value ("7.5"). */
  commission_value: amount,
  cookie_window_days: z.number().int().min(1).max(365),
  network_fee_pct: amount,
  auto_approve_days: z.number().int().min(1).max(365).nullable(),
  pass_through_params: z.boolean(),
  /** Smart-link criteria attributes: {category?, countries?, devices?, <key>: value or list}. */
  attributes: attributesSchema,
};

export const createProgramBody = z.strictObject({
  brand_id: id,
  ...programFields,
  status: programFields.status.default("active"),
  currency,
  cookie_window_days: programFields.cookie_window_days.default(30),
  network_fee_pct: programFields.network_fee_pct.default(20),
  auto_approve_days: programFields.auto_approve_days.optional(),
  pass_through_params: programFields.pass_through_params.default(false),
  attributes: programFields.attributes.default({}),
});
export const updateProgramBody = z.strictObject(programFields).partial()
  .refine((b) => Object.keys(b).length > 0, "send at least one field to change");

type ProgramRow = typeof programs.$inferSelect;

/** Turns the decimal terms into stored units (minor or basis points), or 422 on the field at fault. */
function termsToUnits(type: "flat_cpa" | "percentage", value: string | number, feePct: string | number, cur: string) {
  const fields: Record<string, string[]> = {};
  let commissionValue = 0, networkFeeBps = 0;
  try { commissionValue = type === "flat_cpa" ? parseMoneyToMinor(value, cur) : parsePercentToBps(value); }
  catch (e) { if (!(e instanceof MoneyParseError)) throw e; fields.commission_value = [e.message]; }
  try { networkFeeBps = parsePercentToBps(feePct); }
  catch (e) { if (!(e instanceof MoneyParseError)) throw e; fields.network_fee_pct = [e.message]; }
  if (Object.keys(fields).length) throw new Validation(fields);
  return { commissionValue, networkFeeBps };
}

export async function createProgram(ctx: AppContext, actor: Actor, b: Omit<z.infer<typeof createProgramBody>, "attributes"> & { attributes?: Attributes }) {
  await getBrand(ctx, b.brand_id).catch(() => { throw new Validation({ brand_id: ["no such brand"] }); });
  const now = ctx.clock.now();
  const row: ProgramRow = {
    id: uuidv7(now), brandId: b.brand_id, name: b.name, destUrl: b.dest_url, status: b.status,
    commissionType: b.commission_type, ...termsToUnits(b.commission_type, b.commission_value, b.network_fee_pct, b.currency),
    currency: b.currency, cookieWindowDays: b.cookie_window_days, autoApproveDays: b.auto_approve_days ?? null,
    passThroughParams: b.pass_through_params, attributes: JSON.stringify(b.attributes ?? {}), createdAt: now, updatedAt: now,
  };
  await ctx.db.batch([
    ctx.db.insert(programs).values(row),
    ctx.db.insert(auditLog).values(auditValues({ actor, at: now, action: "program.created", entityType: "program", entityId: row.id, data: serializeProgram(row) })),
    insertChange(ctx, now, { kind: "program.created", entityId: row.id, brandId: row.brandId, programId: row.id }),
  ]);
  return serializeProgram(row);
}

export async function updateProgram(ctx: AppContext, actor: Actor, programId: string, b: z.infer<typeof updateProgramBody>) {
  const before = await getProgramRow(ctx, programId);
  const now = ctx.clock.now();
  const type = b.commission_type ?? before.commissionType;
  const termsChanged = b.commission_type !== undefined || b.commission_value !== undefined || b.network_fee_pct !== undefined;
  if (b.commission_type !== undefined && b.commission_type !== before.commissionType && b.commission_value === undefined) {
    throw new Validation({ commission_value: ["required when commission_type changes"] });
  }
  const terms = termsChanged
    ? termsToUnits(type, b.commission_value ?? unitsToDecimal(before), b.network_fee_pct ?? formatBps(before.networkFeeBps), before.currency)
    : {};
  const after: ProgramRow = {
    ...before, ...terms, commissionType: type, updatedAt: now,
    ...(b.name !== undefined && { name: b.name }), ...(b.dest_url !== undefined && { destUrl: b.dest_url }),
    ...(b.status !== undefined && { status: b.status }), ...(b.cookie_window_days !== undefined && { cookieWindowDays: b.cookie_window_days }),
    ...(b.auto_approve_days !== undefined && { autoApproveDays: b.auto_approve_days }),
    ...(b.pass_through_params !== undefined && { passThroughParams: b.pass_through_params }),
    ...(b.attributes !== undefined && { attributes: JSON.stringify(b.attributes) }),
  };
  await ctx.db.batch([
    ctx.db.update(programs).set(after).where(eq(programs.id, programId)),
    ctx.db.insert(auditLog).values(auditValues({
      actor, at: now, action: "program.updated", entityType: "program", entityId: programId,
      fromStatus: before.status, toStatus: after.status, data: { before: serializeProgram(before), after: serializeProgram(after) },
    })),
    insertChange(ctx, now, { kind: "program.updated", entityId: programId, brandId: before.brandId, programId, payload: { status: after.status } }),
  ]);
  ctx.links.invalidate();
  ctx.caches.programs.clear();
  return serializeProgram(after);
}

export async function getProgramRow(ctx: AppContext, programId: string): Promise<ProgramRow> {
  const [row] = await ctx.db.select().from(programs).where(eq(programs.id, programId));
  if (!row) throw new NotFound("Program not found");
  return row;
}

export async function listPrograms(ctx: AppContext, filter: { brandId?: string } = {}) {
  const rows = await ctx.db.select().from(programs)
    .where(filter.brandId ? eq(programs.brandId, filter.brandId) : undefined).orderBy(desc(programs.createdAt));
  return rows.map(serializeProgram);
}

function unitsToDecimal(p: ProgramRow): string {
  return p.commissionType === "flat_cpa" ? formatMinor(p.commissionValue, p.currency) : formatBps(p.commissionValue);
}

export function serializeProgram(p: ProgramRow) {
  return {
    id: p.id, brand_id: p.brandId, name: p.name, dest_url: p.destUrl, status: p.status,
    commission_type: p.commissionType, commission_value: unitsToDecimal(p),
    ...(p.commissionType === "flat_cpa" ? { commission_value_minor: p.commissionValue } : { commission_bps: p.commissionValue }),
    currency: p.currency, cookie_window_days: p.cookieWindowDays, network_fee_pct: formatBps(p.networkFeeBps),
    network_fee_bps: p.networkFeeBps, auto_approve_days: p.autoApproveDays, pass_through_params: p.passThroughParams,
    attributes: parseAttributes(p.attributes), created_at: iso(p.createdAt), updated_at: iso(p.updatedAt),
  };
}
