import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";

// GET /api/openapi.json describes every smart-link endpoint (SPEC §6b) with its
// body schema and its errors; the general contract test calls each of them.
let t: TestApp;
let doc: any;
beforeAll(async () => {
  t = await makeTestApp();
  doc = await (await t.request("/api/openapi.json")).json();
});
afterAll(() => t.close());

const ERROR = { $ref: "#/components/schemas/Error" };
const errorsOf = (op: any) => Object.entries(op.responses).filter(([code]) => code >= "400").map(([code, r]: [string, any]) => [code, r.content?.["application/json"]?.schema ?? r.content?.["text/html"] ? "ok" : "none"]);

test("every smart-link operation is documented under the 'smart links' tag", () => {
  const ops = Object.entries(doc.paths).flatMap(([path, o]: [string, any]) => Object.entries(o).filter(([, op]: [string, any]) => op.tags?.includes("smart links")).map(([m]) => `${m.toUpperCase()} ${path}`));
  expect(ops.sort()).toEqual([
    "GET /api/admin/programs/{id}/scores", "GET /api/admin/rubric", "GET /api/admin/smart-links", "GET /go/m/{code}", "GET /m/{code}",
    "GET /rubric", "GET /rubric.json", "POST /api/admin/smart-links", "PUT /api/admin/programs/{id}/scores", "PUT /api/admin/rubric",
  ]);
  for (const [path, ops] of Object.entries(doc.paths) as [string, any][]) {
    for (const op of Object.values(ops) as any[]) if (op.tags?.includes("smart links")) expect(errorsOf(op).filter(([, c]) => c === "none"), path).toEqual([]);
  }
});

test("the write bodies name their fields and limits; their rejections are JSON errors", () => {
  const rubric = doc.paths["/api/admin/rubric"].put;
  const body = rubric.requestBody.content["application/json"].schema;
  expect(body.required).toEqual(["signals"]);
  expect(body.properties.signals.items.properties.weight).toMatchObject({ type: "integer", minimum: 1, maximum: 100 });
  expect(body.properties.signals.items.required).toEqual(["key", "name", "weight"]);
  expect(Object.keys(body.properties)).toEqual(["threshold", "signals", "flat_commission"]);
  expect(rubric.summary).toContain("summing to 100");
  for (const code of ["400", "401", "409", "413", "422"]) expect(rubric.responses[code].content["application/json"].schema).toEqual(ERROR);

  const scores = doc.paths["/api/admin/programs/{id}/scores"].put;
  expect(Object.keys(scores.requestBody.content["application/json"].schema.properties)).toEqual(["scores", "note"]);
  for (const code of ["400", "401", "404", "409", "413", "422"]) expect(scores.responses[code].content["application/json"].schema).toEqual(ERROR);

  const link = doc.paths["/api/admin/smart-links"].post;
  expect(Object.keys(link.requestBody.content["application/json"].schema.properties)).toEqual(["criteria", "publisher_id", "code", "match_page"]);
  expect(Object.keys(link.responses).sort()).toEqual(["201", "400", "401", "409", "413", "422"]);
});

test("the public pages document as_of in the network timezone and a JSON 400 that matches what /rubric.json answers", async () => {
  const json = doc.paths["/rubric.json"].get;
  expect(json.parameters[0]).toMatchObject({ name: "as_of", in: "query" });
  expect(json.parameters[0].description).toContain("NETWORK_TIMEZONE");
  expect(doc.paths["/rubric"].get.parameters[0].description).toContain("NETWORK_TIMEZONE");
  expect(json.responses["400"].content["application/json"].schema).toEqual(ERROR);
  const res = await t.request("/rubric.json?as_of=2026-02-30");
  expect(res.status).toBe(400);
  const body = await res.json();
  expect(body.error).toMatchObject({ code: "bad_request", fields: { as_of: [expect.stringContaining("a date like")] } });
  expect(doc.paths["/go/m/{code}"].get.parameters.map((p: any) => p.name)).toContain("to");
  expect(Object.keys(doc.paths["/go/m/{code}"].get.responses)).toEqual(["302", "404"]);
});
