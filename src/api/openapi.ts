import { z } from "zod";
import type { ApiRoute } from "./route";

const errorSchema = {
  type: "object",
  properties: { error: { type: "object", properties: {
    code: { type: "string" }, message: { type: "string" },
    fields: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
  }, required: ["code", "message"] } },
};

const ERROR_TEXT: Record<number, string> = {
  400: "Malformed request", 401: "Missing or invalid credentials", 403: "Not yours", 404: "Not found",
  409: "Conflicts with the current state", 413: "Body too large", 422: "Invalid fields",
  429: "Too many failed authentications from this address; see Retry-After",
};

function jsonSchema(s: z.ZodType, io: "input" | "output" = "input") {
  return z.toJSONSchema(s, { io, unrepresentable: "any" });
}

/** Builds the OpenAPI 3.1 document from the same route list that is mounted. */
export function buildOpenApi(routes: ApiRoute[], publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    if (r.query) {
      const qs = jsonSchema(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(qs.properties ?? {})) {
        params.push({ name, in: "query", required: (qs.required ?? []).includes(name), schema } as never);
      }
    }
    const errors = [...new Set([...(r.auth !== "none" ? [401] : []), ...(r.body || r.query ? [400, 422] : []), ...(r.body ? [413] : []), ...(r.path.includes("{") ? [404] : []), ...(r.errors ?? [])])];
    const ok = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
    const file = r.produces ? { description: r.responds ?? "OK", content: { [r.produces]: { schema: { type: "string", format: "binary" } } } } : null;
    const responses: Record<string, unknown> = { [String(r.status ?? 200)]: file ?? ok(r.responds ?? (r.status === 201 ? "Created" : "OK")) };
    for (const [code, description] of Object.entries(r.alsoAnswers ?? {})) responses[code] = ok(description);
    for (const code of errors.sort()) responses[String(code)] = { description: ERROR_TEXT[code] ?? "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    (paths[r.path] ??= {})[r.method] = {
      summary: r.summary, tags: [r.tag], parameters: params,
      ...(r.auth !== "none" && { security: [{ [r.auth === "admin" ? "adminToken" : "brandKey"]: [] }] }),
      ...(r.body && { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } } }),
      responses,
    };
  }
  Object.assign(paths, publicPaths());
  return {
    openapi: "3.1.0",
    info: { title: "Lastclick API", version: "1.0.0", description: "Management API, brand postback and brand conversions. Money is returned both as a decimal string and as integer minor units." },
    servers: [{ url: publicUrl }],
    paths,
    components: {
      securitySchemes: {
        adminToken: { type: "http", scheme: "bearer", description: "lc_admin_... from `lastclick token create --name NAME`" },
        brandKey: { type: "http", scheme: "bearer", description: "Brand API key lc_live_... or lc_test_..." },
      },
      schemas: { Error: errorSchema },
    },
  };
}

/** Endpoints mounted outside the route list (redirects, platform intake, signed pages). */
function publicPaths(): Record<string, Record<string, unknown>> {
  const html = (description: string) => ({ description, content: { "text/html": { schema: { type: "string" } } } });
  const redirect = { description: "Redirect to the destination with the click id appended; sets the click cookie" };
  const q = (name: string, description: string, required = false) => ({ name, in: "query", required, description, schema: { type: "string" } });
  const webhook = (method: string) => ({
    summary: `Affiliate platform webhook (${method})`, tags: ["webhooks"],
    description: "Refersion, Impact, Everflow, generic, Shopify and WooCommerce report conversions here. Authenticated per provider (signature over the raw body, Basic, URL token, IP allowlist or shared secret); every request is kept in the inbox.",
    parameters: [q("provider", "refersion | impact | everflow | generic | shopify | woocommerce", true), q("i", "integration id (optional: found from the request otherwise)")],
    responses: {
      "200": { description: "created, updated, duplicate (impact, everflow, shopify, woocommerce) or ignored", content: { "application/json": { schema: { type: "object" } } } },
      "400": { description: "No provider" }, "401": { description: "Bad signature or credentials" }, "404": { description: "Unknown provider" },
      "405": { description: "This provider does not report with this method" },
      "409": { description: "Order already on file (refersion, generic)" }, "413": { description: "Body too large" }, "422": { description: "Malformed, with reasons" },
      "429": { description: "Too many failed authentications from this address; see Retry-After" },
    },
  });
  return {
    "/go/{slug}": { get: {
      summary: "Tracking link", tags: ["tracking"],
      parameters: [{ name: "slug", in: "path", required: true, schema: { type: "string" } }, ...["sub1", "sub2", "sub3", "sub4", "sub5", "ref", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].map((n) => q(n, "recorded on the click"))],
      responses: { "302": redirect, "404": html("Unknown link"), "410": html("Program paused or link suspended") },
    } },
    "/api/v/{vendor}": { get: {
      summary: "Vendor link: logs the click and redirects with utm_content={s}", tags: ["tracking"],
      parameters: [{ name: "vendor", in: "path", required: true, schema: { type: "string" } }, q("s", "submission id, passed on as utm_content")],
      responses: { "302": redirect, "404": html("Unknown vendor"), "410": html("Inactive") },
    } },
    "/api/affiliate/webhook": { get: webhook("GET"), post: webhook("POST") },
    "/r/{id}/ledger": { get: {
      summary: "A referrer's read-only credit ledger (signed link)", tags: ["referrals"],
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }, q("sig", "signature from ledger_url", true), q("format", "json for JSON")],
      responses: { "200": html("Ledger"), "404": html("Unknown referrer or bad signature") },
    } },
    // Smart links (SPEC §6b): public, no credentials.
    "/go/m/{code}": { get: {
      summary: "Smart link: routes to the best-fitting eligible program (never by payout) through the same click machinery as /go/{slug}", tags: ["smart links"],
      parameters: [{ name: "code", in: "path", required: true, schema: { type: "string" } }, q("to", "a program id picked on the match page (must be eligible)"),
        ...["sub1", "sub2", "sub3", "sub4", "sub5", "ref", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].map((n) => q(n, "recorded on the click"))],
      responses: { "302": redirect, "404": html("Unknown code, no eligible program right now, or the picked program is not eligible (nothing recorded)") },
    } },
    "/m/{code}": { get: {
      summary: "Match page: the ranked eligible programs with scores, affiliate disclosure above the links", tags: ["smart links"],
      parameters: [{ name: "code", in: "path", required: true, schema: { type: "string" } }],
      responses: { "200": html("Matches"), "404": html("Unknown code or no match page for this link") },
    } },
    "/rubric": { get: {
      summary: "The public rubric: signals, weights, threshold, every program's score and breakdown, tie-break rule", tags: ["smart links"],
      parameters: [q("as_of", "YYYY-MM-DD: the board as it stood at the end of that day in the network timezone (NETWORK_TIMEZONE): rubric version, scores, and program name, status and attributes")],
      responses: { "200": html("Rubric"), "400": html("Bad date") },
    } },
    "/rubric.json": { get: {
      summary: "The public rubric as JSON (the same data as /rubric)", tags: ["smart links"],
      parameters: [q("as_of", "YYYY-MM-DD: the board as it stood at the end of that day in the network timezone (NETWORK_TIMEZONE): rubric version, scores, and program name, status and attributes")],
      responses: {
        "200": { description: "Rubric", content: { "application/json": { schema: { type: "object" } } } },
        "400": { description: "as_of is not a date (error.fields.as_of)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      },
    } },
  };
}
