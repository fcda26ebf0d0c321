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
    const responses: Record<string, unknown> = { [String(r.status ?? 200)]: { description: "OK", content: { "application/json": { schema: { type: "object" } } } } };
    for (const code of errors.sort()) responses[String(code)] = { description: ERROR_TEXT[code] ?? "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    (paths[r.path] ??= {})[r.method] = {
      summary: r.summary, tags: [r.tag], parameters: params,
      ...(r.auth !== "none" && { security: [{ [r.auth === "admin" ? "adminToken" : "brandKey"]: [] }] }),
      ...(r.body && { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(r.body) } } } }),
      responses,
    };
  }
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
