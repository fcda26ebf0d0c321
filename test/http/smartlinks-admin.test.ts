import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, makeBrand, makeProgram, makePublisher } from "../helpers/factories";
import { putRubric, score, SIGNALS } from "../helpers/smartlinks";

let t: TestApp;
let programId: string;
beforeAll(async () => {
  t = await makeTestApp();
  const brand = await makeBrand(t);
  programId = (await makeProgram(t, brand.id)).id;
});
afterAll(() => t.close());

const put = (json: unknown) => t.request("/api/admin/rubric", { method: "PUT", json, token: t.adminToken });
const putScores = (id: string, json: unknown) => t.request(`/api/admin/programs/${id}/scores`, { method: "PUT", json, token: t.adminToken });
const versions = async () => (await api(t, "GET", "/api/admin/rubric")).data as any[];

describe("rubric: versioned, validated, audited", () => {
  test("scores before any rubric: 409, nothing stored", async () => {
    const res = await putScores(programId, { scores: { quality: 1 } });
    expect(res.status).toBe(409);
    expect((await api(t, "GET", `/api/admin/programs/${programId}/scores`)).data).toEqual([]);
  });

  test.each([
    ["weights summing to 99", { threshold: 70, signals: [{ ...SIGNALS[0], weight: 49 }, SIGNALS[1], SIGNALS[2]] }, "signals", "sum to 100; they sum to 99"],
    ["weights summing to 101", { threshold: 70, signals: [{ ...SIGNALS[0], weight: 51 }, SIGNALS[1], SIGNALS[2]] }, "signals", "they sum to 101"],
    ["a threshold above 100", { threshold: "100.01", signals: SIGNALS }, "threshold", "between 0 and 100.00"],
    ["a negative threshold", { threshold: -1, signals: SIGNALS }, "threshold", "between 0 and 100.00"],
    ["a threshold with three decimals", { threshold: "70.005", signals: SIGNALS }, "threshold", "two decimal"],
    ["repeated signal keys", { threshold: 70, signals: [SIGNALS[0], { ...SIGNALS[1], key: "quality" }, SIGNALS[2]] }, "signals", "repeated: quality"],
    ["a key that is not a slug", { threshold: 70, signals: [{ ...SIGNALS[0], key: "Quality!" }, SIGNALS[1], SIGNALS[2]] }, "signals.0.key", "slug"],
    ["a fractional weight", { threshold: 70, signals: [{ ...SIGNALS[0], weight: 49.5 }, { ...SIGNALS[1], weight: 30.5 }, SIGNALS[2]] }, "signals.0.weight", "whole points"],
    ["a bad flat commission currency", { threshold: 70, signals: SIGNALS, flat_commission: { amount: "5", currency: "XYZ1" } }, "flat_commission.currency", ""],
  ])("rejects %s with 422 and stores nothing", async (_name, body, field, message) => {
    const res = await put(body);
    expect(res.status).toBe(422);
    const err = (await res.json()).error;
    expect(err.fields[field]?.join(" ") ?? "").toContain(message);
    expect(await versions()).toEqual([]);
  });

  test("each PUT is a new version with its audit row; defaults threshold 70", async () => {
    const v1 = await putRubric(t, { threshold: undefined });
    expect(v1).toMatchObject({ version: 1, threshold: "70.00", threshold_hundredths: 7000, flat_commission: { amount: "5.00", amount_minor: 500, currency: "USD" } });
    const v2 = await putRubric(t, { threshold: "72.5" });
    expect(v2).toMatchObject({ version: 2, threshold: "72.50" });
    expect((await versions()).map((v) => v.version)).toEqual([2, 1]);
    const audit = await api(t, "GET", "/api/admin/audit?entity_type=rubric");
    expect(audit.data.map((a: any) => [a.action, a.entity_id])).toEqual([["rubric.published", "2"], ["rubric.published", "1"]]);
    expect(audit.data[0].data.threshold_hundredths).toBe(7250);
  });

  test("concurrent PUTs each get their own version, never one twice", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => putRubric(t, { threshold: 70 + i })));
    expect(results.map((r) => r.version).sort()).toEqual([3, 4, 5, 6, 7]);
    expect((await versions()).length).toBe(7);
    expect((await api(t, "GET", "/api/admin/audit?entity_type=rubric")).data.length).toBe(7);
    await putRubric(t, { threshold: "72.5" });
  });
});

describe("scores: exact totals, history kept, bad input refused", () => {
  test("the total is computed from weights (never typed), each change a new row, audited", async () => {
    const first = await score(t, programId, "0.9", "0.75", 1, "first look");
    expect(first).toMatchObject({ total: "87.50", total_hundredths: 8750, eligible: true, rubric_version: 8, scores: { quality: "0.90", service: "0.75", shipping: "1.00" } });
    const second = await score(t, programId, "0.5", 0.5, "0.51");
    expect(second).toMatchObject({ total: "50.20", eligible: false });
    const history = (await api(t, "GET", `/api/admin/programs/${programId}/scores`)).data;
    expect(history.map((h: any) => h.note)).toEqual([null, "first look"]);
    const audit = await api(t, "GET", `/api/admin/audit?entity_id=${programId}`);
    expect(audit.data.filter((a: any) => a.action === "program.scored").map((a: any) => a.data.total_hundredths)).toEqual([5020, 8750]);
  });

  test.each([
    ["a score above 1", { scores: { quality: 1.01, service: 1, shipping: 1 } }, "scores.quality", "from 0 to 1"],
    ["a negative score", { scores: { quality: 1, service: -0.1, shipping: 1 } }, "scores.service", "from 0 to 1"],
    ["three decimals", { scores: { quality: 1, service: 1, shipping: "0.755" } }, "scores.shipping", "two decimals"],
    ["an unknown signal", { scores: { quality: 1, service: 1, shipping: 1, price: 1 } }, "scores.price", "not a signal"],
    ["a missing signal", { scores: { quality: 1, service: 1 } }, "scores", "missing: shipping"],
    ["a total typed by hand", { scores: { quality: 1, service: 1, shipping: 1 }, total: 100 }, "total", ""],
  ])("rejects %s with 422 and stores nothing", async (_n, body, field, message) => {
    const before = (await api(t, "GET", `/api/admin/programs/${programId}/scores`)).data.length;
    const res = await putScores(programId, body);
    expect(res.status).toBe(422);
    expect(((await res.json()).error.fields[field] ?? [""]).join(" ")).toContain(message);
    expect((await api(t, "GET", `/api/admin/programs/${programId}/scores`)).data.length).toBe(before);
  });

  test("an unknown program is 404", async () => {
    expect((await putScores("nope", { scores: { quality: 1, service: 1, shipping: 1 } })).status).toBe(404);
  });
});

describe("program attributes (PATCH /api/admin/programs/{id})", () => {
  test("normalised (aliases, case), shown on the program, audited", async () => {
    const p = await api(t, "PATCH", `/api/admin/programs/${programId}`, { attributes: { category: "Tents", country: ["de", "AT"], devices: "Mobile", vegan: "yes" } });
    expect(p.attributes).toEqual({ category: ["tents"], countries: ["AT", "DE"], devices: ["mobile"], vegan: ["yes"] });
    const audit = await api(t, "GET", `/api/admin/audit?entity_id=${programId}`);
    expect(audit.data[0].data.after.attributes.countries).toEqual(["AT", "DE"]);
  });

  test.each([
    ["a country that is not ISO", { countries: ["Germany"] }, "attributes.countries", "not ISO 3166"],
    ["an unknown device", { devices: ["watch"] }, "attributes.devices", "desktop, mobile, tablet"],
    ["an empty list", { category: [] }, "attributes.category", "at least one"],
    ["a key that is not a slug", { "Bad Key": "x" }, "attributes.Bad Key", "slugs"],
    ["a nested object", { category: { a: 1 } }, "attributes.category", ""],
  ])("rejects %s with 422 and changes nothing", async (_n, attributes, field, message) => {
    const res = await t.request(`/api/admin/programs/${programId}`, { method: "PATCH", json: { attributes }, token: t.adminToken });
    expect(res.status).toBe(422);
    expect(((await res.json()).error.fields[field] ?? [""]).join(" ")).toContain(message);
    expect((await api(t, "GET", `/api/admin/programs/${programId}`)).attributes.category).toEqual(["tents"]);
  });
});

describe("POST /api/admin/smart-links", () => {
  test("criteria no program can match: 422, nothing stored", async () => {
    await score(t, programId, 1, 1, 1);
    const res = await t.request("/api/admin/smart-links", { method: "POST", token: t.adminToken, json: { criteria: { category: "kayaks" } } });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.criteria[0]).toContain("no eligible program");
    expect((await api(t, "GET", "/api/admin/smart-links")).data).toEqual([]);
  });

  test("201 with url and match page url; a taken code is 409; audited", async () => {
    const link = await api(t, "POST", "/api/admin/smart-links", { criteria: { category: "tents" }, code: "best-tents" });
    expect(link).toMatchObject({ code: "best-tents", url: "https://track.test/go/m/best-tents", match_page_url: "https://track.test/m/best-tents", criteria: { category: ["tents"] }, publisher_id: null });
    const again = await t.request("/api/admin/smart-links", { method: "POST", token: t.adminToken, json: { criteria: {}, code: "best-tents" } });
    expect(again.status).toBe(409);
    const generated = await api(t, "POST", "/api/admin/smart-links", { criteria: {}, match_page: false });
    expect(generated.code).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(generated.match_page_url).toBeNull();
    expect((await api(t, "GET", "/api/admin/audit?entity_type=smart_link")).data.map((a: any) => a.data.code).sort()).toEqual(["best-tents", generated.code].sort());
  });

  test.each([
    ["an unknown publisher", { criteria: {}, publisher_id: "nope" }, "publisher_id", "no such publisher"],
    ["a bad code", { criteria: {}, code: "a b" }, "code", "letters, digits"],
    ["bad criteria", { criteria: { countries: "Germany" } }, "criteria.countries", "ISO"],
  ])("rejects %s with 422", async (_n, json, field, message) => {
    const before = (await api(t, "GET", "/api/admin/smart-links")).data.length;
    const res = await t.request("/api/admin/smart-links", { method: "POST", token: t.adminToken, json });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields[field].join(" ")).toContain(message);
    expect((await api(t, "GET", "/api/admin/smart-links")).data.length).toBe(before);
  });

  test("a publisher approved for no eligible program: 422", async () => {
    const pub = await makePublisher(t, "Lonely Blog");
    const res = await t.request("/api/admin/smart-links", { method: "POST", token: t.adminToken, json: { criteria: {}, publisher_id: pub.id } });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.criteria[0]).toContain("approved for");
  });

  test("admin token required", async () => {
    expect((await t.request("/api/admin/rubric", { method: "PUT", json: { threshold: 70, signals: SIGNALS } })).status).toBe(401);
    expect((await t.request("/api/admin/smart-links", { method: "POST", json: { criteria: {} } })).status).toBe(401);
  });

  test("the OpenAPI document lists the smart-link API and public pages", async () => {
    const doc = await (await t.request("/api/openapi.json")).json();
    for (const p of ["/api/admin/rubric", "/api/admin/programs/{id}/scores", "/api/admin/smart-links", "/go/m/{code}", "/m/{code}", "/rubric", "/rubric.json"]) {
      expect(doc.paths[p]).toBeDefined();
    }
    expect(doc.paths["/api/admin/smart-links"].post.responses["201"]).toBeDefined();
  });
});
