import { z } from "zod";
import { createApproval, createApprovalBody, createVendorLink, createVendorLinkBody, getApprovalRow, listApprovals, serializeApproval, setApprovalStatus, updateApprovalBody } from "../network/approvals";
import { createBrand, createBrandApiKey, getBrand, listBrandApiKeys, listBrands, revokeBrandApiKey, serializeBrand } from "../network/brands";
import { listFxRates, putFxRate, putFxRateBody } from "../network/fx-rates";
import { createProgram, createProgramBody, getProgramRow, listPrograms, serializeProgram, updateProgram, updateProgramBody } from "../network/programs";
import { createPublisher, createPublisherBody, getPublisherRow, listPublishers, serializePublisher, updatePublisher, updatePublisherBody } from "../network/publishers";
import { getConversion, listConversions, listConversionsQuery } from "../conversions/list-conversions";
import { approveConversion, reverseConversion } from "../conversions/review";
import { serializeConversion } from "../conversions/serialize";
import { listAudit, listAuditQuery } from "../audit/list-audit";
import { NotFound } from "../shared/errors";
import { answer, route } from "./route";

export const reverseBody = z.strictObject({ reason: z.string().trim().min(3, "give a reason (at least 3 characters)").max(500) });
const listFilter = z.strictObject({ program_id: z.string().max(64).optional(), publisher_id: z.string().max(64).optional(), brand_id: z.string().max(64).optional() });

/** The management API (SPEC §11), admin token required. */
export const adminRoutes = [
  route({ method: "post", path: "/api/admin/brands", auth: "admin", tag: "brands", summary: "Create a brand", status: 201,
    body: z.strictObject({ name: z.string().trim().min(1).max(200) }),
    handler: ({ ctx, actor, body }) => createBrand(ctx, actor, body) }),
  route({ method: "get", path: "/api/admin/brands", auth: "admin", tag: "brands", summary: "List brands",
    handler: async ({ ctx }) => ({ data: await listBrands(ctx) }) }),
  route({ method: "get", path: "/api/admin/brands/{id}", auth: "admin", tag: "brands", summary: "Get a brand",
    handler: async ({ ctx, params }) => serializeBrand(await getBrand(ctx, params.id!)) }),
  route({ method: "post", path: "/api/admin/brands/{id}/api-keys", auth: "admin", tag: "brands", status: 201,
    summary: "Create a brand API key (the key is shown once; only its hash is stored)",
    body: z.strictObject({ mode: z.enum(["live", "test"]).default("live") }),
    handler: ({ ctx, actor, params, body }) => createBrandApiKey(ctx, actor, params.id!, body.mode) }),
  route({ method: "get", path: "/api/admin/brands/{id}/api-keys", auth: "admin", tag: "brands", summary: "List a brand's API keys (prefixes only)",
    handler: async ({ ctx, params }) => ({ data: await listBrandApiKeys(ctx, params.id!) }) }),
  route({ method: "delete", path: "/api/admin/brands/{id}/api-keys/{key_id}", auth: "admin", tag: "brands", summary: "Revoke a brand API key",
    handler: ({ ctx, actor, params }) => revokeBrandApiKey(ctx, actor, params.id!, params.key_id!) }),

  route({ method: "post", path: "/api/admin/programs", auth: "admin", tag: "programs", summary: "Create a program (offer)", status: 201,
    body: createProgramBody, handler: ({ ctx, actor, body }) => createProgram(ctx, actor, body) }),
  route({ method: "get", path: "/api/admin/programs", auth: "admin", tag: "programs", summary: "List programs", query: listFilter,
    handler: async ({ ctx, query }) => ({ data: await listPrograms(ctx, { brandId: query.brand_id }) }) }),
  route({ method: "get", path: "/api/admin/programs/{id}", auth: "admin", tag: "programs", summary: "Get a program",
    handler: async ({ ctx, params }) => serializeProgram(await getProgramRow(ctx, params.id!)) }),
  route({ method: "patch", path: "/api/admin/programs/{id}", auth: "admin", tag: "programs", summary: "Change a program (pause, terms, window)",
    body: updateProgramBody, handler: ({ ctx, actor, params, body }) => updateProgram(ctx, actor, params.id!, body) }),

  route({ method: "post", path: "/api/admin/publishers", auth: "admin", tag: "publishers", summary: "Create a publisher", status: 201,
    body: createPublisherBody, handler: ({ ctx, actor, body }) => createPublisher(ctx, actor, body) }),
  route({ method: "get", path: "/api/admin/publishers", auth: "admin", tag: "publishers", summary: "List publishers",
    handler: async ({ ctx }) => ({ data: await listPublishers(ctx) }) }),
  route({ method: "get", path: "/api/admin/publishers/{id}", auth: "admin", tag: "publishers", summary: "Get a publisher",
    handler: async ({ ctx, params }) => serializePublisher(await getPublisherRow(ctx, params.id!)) }),
  route({ method: "patch", path: "/api/admin/publishers/{id}", auth: "admin", tag: "publishers", summary: "Change a publisher (status, payout method)",
    body: updatePublisherBody, handler: ({ ctx, actor, params, body }) => updatePublisher(ctx, actor, params.id!, body) }),

  route({ method: "post", path: "/api/admin/approvals", auth: "admin", tag: "approvals", status: 201,
    summary: "Approve a publisher for a program; returns its tracking link (idempotent per pair)",
    responds: "Approved: the new approval and its tracking link", alsoAnswers: { 200: "The pair was already on file: the same approval and link (re-approved if it was not)" },
    body: createApprovalBody, handler: async ({ ctx, actor, body }) => {
      const r = await createApproval(ctx, actor, body);
      return r.created ? r.approval : answer(200, r.approval);
    } }),
  route({ method: "get", path: "/api/admin/approvals", auth: "admin", tag: "approvals", summary: "List approvals and tracking links", query: listFilter,
    handler: async ({ ctx, query }) => ({ data: await listApprovals(ctx, { programId: query.program_id, publisherId: query.publisher_id }) }) }),
  route({ method: "patch", path: "/api/admin/approvals/{id}", auth: "admin", tag: "approvals", summary: "Suspend, reject or re-approve a publisher's link",
    body: updateApprovalBody, handler: async ({ ctx, actor, params, body }) => serializeApproval(ctx, await setApprovalStatus(ctx, actor, (await getApprovalRow(ctx, params.id!)).id, body.status)) }),
  route({ method: "post", path: "/api/admin/vendor-links", auth: "admin", tag: "approvals", status: 201,
    summary: "Create a vendor link /api/v/{key}?s={submission} for an approval",
    body: createVendorLinkBody, handler: ({ ctx, actor, body }) => createVendorLink(ctx, actor, body) }),

  route({ method: "get", path: "/api/admin/conversions", auth: "admin", tag: "conversions", summary: "List conversions (newest first, cursor paged)",
    query: listConversionsQuery, handler: async ({ ctx, actor, query }) => {
      const page = await listConversions({ ctx, actor, query });
      return { data: page.rows.map(serializeConversion), next_cursor: page.nextCursor };
    } }),
  route({ method: "get", path: "/api/admin/conversions/{id}", auth: "admin", tag: "conversions", summary: "Get a conversion",
    handler: async ({ ctx, actor, params }) => {
      const row = await getConversion({ ctx, actor, id: params.id! });
      if (!row) throw new NotFound("Conversion not found");
      return serializeConversion(row);
    } }),
  route({ method: "post", path: "/api/admin/conversions/{id}/approve", auth: "admin", tag: "conversions", errors: [409],
    summary: "Approve a pending conversion (repeat is a no-op)",
    handler: async ({ ctx, actor, params }) => { const r = await approveConversion(ctx, actor, params.id!); return { changed: r.changed, conversion: serializeConversion(r.conversion) }; } }),
  route({ method: "post", path: "/api/admin/conversions/{id}/reverse", auth: "admin", tag: "conversions", errors: [409],
    summary: "Reverse a conversion within 30 days of insert, with a reason", body: reverseBody,
    handler: async ({ ctx, actor, params, body }) => { const r = await reverseConversion(ctx, actor, params.id!, body.reason); return { changed: r.changed, conversion: serializeConversion(r.conversion) }; } }),

  route({ method: "put", path: "/api/admin/fx-rates", auth: "admin", tag: "fx", summary: "Set an exchange rate: 1 base = rate quote",
    body: putFxRateBody, handler: ({ ctx, actor, body }) => putFxRate(ctx, actor, body) }),
  route({ method: "get", path: "/api/admin/fx-rates", auth: "admin", tag: "fx", summary: "List exchange rates",
    handler: async ({ ctx }) => ({ data: await listFxRates(ctx) }) }),

  route({ method: "get", path: "/api/admin/audit", auth: "admin", tag: "audit", summary: "Read the append-only audit trail",
    query: listAuditQuery, handler: ({ ctx, query }) => listAudit(ctx, query) }),
];
