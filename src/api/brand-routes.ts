import { z } from "zod";
import type { Actor } from "../auth/authenticate";
import { getConversion, listConversions, listConversionsQuery } from "../conversions/list-conversions";
import { recordConversion } from "../conversions/record-conversion";
import { reverseConversion } from "../conversions/review";
import { serializeConversion } from "../conversions/serialize";
import { inboxRowWithConversion } from "../integrations/inbox";
import { NotFound } from "../shared/errors";
import { amount, id } from "../shared/validators";
import { reverseBody } from "./admin-routes";
import { route } from "./route";

const brandOf = (a: Actor) => (a.type === "brand" ? a : (() => { throw new Error("brand route without brand actor"); })());

/** What a brand's server sends (SPEC §4). Unknown extra fields are ignored. */
export const postbackBody = z.looseObject({
  program_id: id,
  brand_order_ref: z.string().trim().min(1).max(200),
  order_value: amount,
  order_currency: z.string().max(8),
  lc_click: z.string().max(200).nullish(),
  click_id: z.string().max(200).nullish(),
});

/** The click id under the network's CLICK_PARAM name, or lc_click / click_id. */
function clickRefFrom(body: z.infer<typeof postbackBody>, param: string): string | null {
  const custom = (body as Record<string, unknown>)[param];
  if (typeof custom === "string" && custom !== "") return custom.slice(0, 200);
  return body.lc_click || body.click_id || null;
}

/** Brand-key API: the postback and a brand's own conversions. */
export const brandRoutes = [
  route({ method: "post", path: "/api/conv", auth: "brand", tag: "postback", errors: [403, 404, 413, 429], inbox: "postback",
    summary: "Report a conversion (server postback). Idempotent on (program_id, brand_order_ref).",
    responds: "Both a new and a repeated order answer 200: {status: \"created\"} with the new conversion, or {status: \"duplicate\"} with the one already on file",
    body: postbackBody,
    handler: async ({ ctx, actor, body, request }) => {
      const brand = brandOf(actor);
      const r = await recordConversion(ctx, actor, {
        programId: body.program_id, brandOrderRef: body.brand_order_ref, orderValue: body.order_value,
        orderCurrency: body.order_currency, clickRef: clickRefFrom(body, ctx.config.CLICK_PARAM),
        isTest: brand.mode === "test", source: "postback", requireBrandId: brand.brandId,
        alsoWhenCreated: inboxRowWithConversion(request),
      });
      return { status: r.status, conversion: serializeConversion(r.conversion) };
    } }),
  route({ method: "get", path: "/api/conversions", auth: "brand", tag: "brand", summary: "List this brand's conversions (cursor paged)",
    query: listConversionsQuery, handler: async ({ ctx, actor, query }) => {
      const page = await listConversions({ ctx, actor, query });
      return { data: page.rows.map(serializeConversion), next_cursor: page.nextCursor };
    } }),
  route({ method: "get", path: "/api/conversions/{id}", auth: "brand", tag: "brand", summary: "Get one of this brand's conversions",
    handler: async ({ ctx, actor, params }) => {
      const row = await getConversion({ ctx, actor, id: params.id! });
      if (!row) throw new NotFound("Conversion not found");
      return serializeConversion(row);
    } }),
  route({ method: "post", path: "/api/conversions/{id}/reverse", auth: "brand", tag: "brand", errors: [409],
    summary: "Reverse one of this brand's conversions within 30 days (refund, chargeback)", body: reverseBody,
    handler: async ({ ctx, actor, params, body }) => {
      const r = await reverseConversion(ctx, actor, params.id!, body.reason);
      return { changed: r.changed, conversion: serializeConversion(r.conversion) };
    } }),
];
