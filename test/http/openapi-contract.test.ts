import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, T0, type TestApp } from "../helpers/app";
import { api, approve, click, makeBrand, makeProgram, makePublisher } from "../helpers/factories";

// The served /api/openapi.json is the contract: every operation in it is called
// for real, and every status it answers (success and each documented rejection)
// must be documented for that operation, with a body of the documented kind.
type Doc = { paths: Record<string, Record<string, Operation>> };
type Operation = {
  security?: Record<string, string[]>[];
  requestBody?: unknown;
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema: { type?: string; $ref?: string } }> }>;
};
type Call = { path: string; body?: string; headers?: Record<string, string> };

let t: TestApp;
let doc: Doc;
const ids: Record<string, string> = {};
let liveKey = "";
const GENERIC_SECRET = "contract-generic-secret";
const UA = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130" };

/**
 * A closed September for the settlement operations: three publishers paid by
 * PayPal over two brands, so each payout / invoice operation has its own row
 * (mark-paid, mark-failed, results; mark-paid, void). The operations close
 * October themselves.
 */
async function closedSeptember() {
  t.clock.set(Date.UTC(2026, 8, 15, 12));
  const payees = async (brandName: string, n: number) => {
    const b = await makeBrand(t, brandName);
    const p = await makeProgram(t, b.id, { name: `${brandName} program`, commission_type: "flat_cpa", commission_value: "100" });
    for (let i = 0; i < n; i++) {
      const pub = await api(t, "POST", "/api/admin/publishers", { name: `${brandName} payee ${i}`, email: `payee${i}@${b.id.slice(-6)}.example`, payout_method: "PayPal", payout_details: { email: `payee${i}@pub.example` } });
      const { clickId } = await click(t, `/go/${(await approve(t, p.id, pub.id)).slug}`);
      const c = await api(t, "POST", "/api/conv", { program_id: p.id, brand_order_ref: `SEPT-${i}`, order_value: "50", order_currency: "USD", lc_click: clickId }, b.liveKey);
      await api(t, "POST", `/api/admin/conversions/${c.conversion.id}/approve`);
    }
    return b;
  };
  const [first, second] = [await payees("Settle One", 3), await payees("Settle Two", 1)];
  t.clock.set(T0);
  await api(t, "POST", "/api/admin/settlements", { period: "2026-09" });
  const payouts = (await api(t, "GET", "/api/admin/payouts?period=2026-09&status=scheduled")).data.map((p: { id: string }) => p.id);
  const invoices = (await api(t, "GET", "/api/admin/invoices?period=2026-09")).data;
  const of = (b: { id: string }) => invoices.find((i: { brand_id: string }) => i.brand_id === b.id).id;
  expect(payouts.length).toBe(4);
  return { brand: first, ids: { payouts: payouts[0], payout2: payouts[1], payout3: payouts[2], invoices: of(first), invoice2: of(second) } };
}

beforeAll(async () => {
  t = await makeTestApp();
  const settled = await closedSeptember();
  const brand = settled.brand; // the brand key's own invoice is on file
  liveKey = brand.liveKey;
  const program = await makeProgram(t, brand.id);
  const publisher = await makePublisher(t);
  const approval = await approve(t, program.id, publisher.id);
  const { clickId } = await click(t, `/go/${approval.slug}`);
  const conv = async (ref: string) => (await api(t, "POST", "/api/conv", { program_id: program.id, brand_order_ref: ref, order_value: "10", order_currency: "USD", lc_click: clickId }, liveKey)).conversion.id;
  const key = await api(t, "POST", `/api/admin/brands/${brand.id}/api-keys`, { mode: "live" });
  const integration = await api(t, "POST", "/api/admin/integrations", { program_id: program.id, provider: "generic", mode: "live", secret: GENERIC_SECRET, vendor_id: "contract" });
  const referrer = await api(t, "POST", "/api/admin/referrers", { name: "Ref" });
  const postback = await api(t, "POST", `/api/admin/publishers/${publisher.id}/postbacks`, { url: "https://pub.example/pb?c={click_id}" });
  const vendor = await api(t, "POST", "/api/admin/vendor-links", { approval_id: approval.id, key: "contract-vendor" });
  const token = await api(t, "POST", "/api/admin/tokens", { name: "to revoke" });
  const [adminConversion, brandConversion] = [await conv("C-ADMIN"), await conv("C-BRAND")];
  const webhook = await t.request("/api/affiliate/webhook?provider=generic", { method: "POST", headers: { "content-type": "application/json", "x-lastclick-secret": GENERIC_SECRET },
    body: JSON.stringify({ vendor_id: "contract", order_id: "G-REPLAYED", order_total: 50, commission_total: "5.00", currency: "USD", occurred_at: "2026-11-02T11:00:00Z" }) });
  expect(webhook.status).toBe(200);
  const inbox = await api(t, "GET", "/api/admin/inbox?provider=generic"); // a webhook that authenticated: replayable
  await api(t, "PUT", "/api/admin/rubric", RUBRIC);
  await api(t, "PUT", `/api/admin/programs/${program.id}/scores`, SCORES);
  const smart = await api(t, "POST", "/api/admin/smart-links", { criteria: {}, code: "contract-smart" });
  const user = await api(t, "POST", "/api/admin/users", { email: "contract-user@x.example", role: "admin" });
  Object.assign(ids, {
    brands: brand.id, programs: program.id, publishers: publisher.id, approvals: approval.id, key_id: key.id,
    conversions: adminConversion, brandConversion, integrations: integration.id,
    inbox: inbox.data[0].id, referrers: referrer.id, pid: postback.id, tokens: token.id, slug: approval.slug,
    vendor: vendor.key, code: smart.code, users: user.id, ...settled.ids, ledgerSig: new URL(referrer.ledger_url).searchParams.get("sig")!, clickId,
  });
  doc = await (await t.request("/api/openapi.json")).json();
});
afterAll(() => t.close());

const RUBRIC = { threshold: 70, signals: [{ key: "fit", name: "Fit", weight: 60 }, { key: "trust", name: "Trust", weight: 40 }] };
const SCORES = { scores: { fit: 1, trust: 0.9 } };

/** A fresh publisher for each approval created, so the first call is a creation. */
let pairs = 0;
const bodies: Record<string, () => Promise<unknown> | unknown> = {
  "post /api/admin/brands": () => ({ name: "Contract brand" }),
  "post /api/admin/brands/{id}/api-keys": () => ({ mode: "test" }),
  "post /api/admin/programs": () => ({ brand_id: ids.brands, name: "P2", dest_url: "https://shop.example/p2", commission_type: "flat_cpa", commission_value: "3", currency: "EUR" }),
  "patch /api/admin/programs/{id}": () => ({ cookie_window_days: 45 }),
  "post /api/admin/publishers": () => ({ name: "Pub2", email: "p2@pub.example" }),
  "patch /api/admin/publishers/{id}": () => ({ name: "Blog renamed" }),
  "post /api/admin/approvals": async () => ({ program_id: ids.programs, publisher_id: (await makePublisher(t, `Pair ${++pairs}`)).id }),
  "patch /api/admin/approvals/{id}": () => ({ status: "approved" }),
  "post /api/admin/vendor-links": () => ({ approval_id: ids.approvals, key: `vendor-${++pairs}` }),
  "post /api/admin/conversions/{id}/reverse": () => ({ reason: "refunded by the shop" }),
  "post /api/conversions/{id}/reverse": () => ({ reason: "chargeback" }),
  "put /api/admin/fx-rates": () => ({ base: "EUR", quote: "USD", rate: "1.1" }),
  "post /api/admin/integrations": () => ({ program_id: ids.programs, provider: "generic", secret: "another-generic-secret", vendor_id: `v-${++pairs}` }),
  "patch /api/admin/integrations/{id}": () => ({ mode: "live" }),
  "post /api/admin/inbox/{id}/replay": () => ({}),
  "post /api/admin/referrers": () => ({ name: `Ref ${++pairs}` }),
  "post /api/admin/publishers/{id}/postbacks": () => ({ url: "https://pub.example/other?c={click_id}" }),
  "patch /api/admin/publishers/{id}/postbacks/{pid}": () => ({ status: "paused" }),
  "post /api/admin/tokens": () => ({ name: "contract" }),
  "put /api/admin/rubric": () => RUBRIC,
  "put /api/admin/network-settings": () => ({ name: "Contract network", legal_name: "Contract Network LLC", address: "1 Main St", payout_threshold: "50.00" }),
  "put /api/admin/brands/{id}/billing": () => ({ legal_name: "Acme Inc.", address: "2 Side St" }),
  "put /api/admin/publishers/{id}/payout-threshold": () => ({ payout_threshold: "25.00" }),
  "post /api/admin/settlements": () => ({ period: "2026-10" }),
  "post /api/admin/payouts/{id}/mark-paid": () => ({ reference: "PP-123" }),
  "post /api/admin/payouts/{id}/mark-failed": () => ({ reason: "account closed" }),
  // JSON or text/csv, read by the handler itself (so no body schema in the document).
  "post /api/admin/payouts/results": () => ({ results: [{ payout_id: ids.payout3, status: "paid", reference: "PP-BATCH-1" }] }),
  "post /api/admin/invoices/{id}/mark-paid": () => ({ reference: "WIRE-9" }),
  "post /api/admin/invoices/{id}/void": () => ({ reason: "wrong billing address" }),
  "post /api/admin/reconciliations/import": () => ({ integration_id: ids.integrations, rows: [{ order_id: `R-${++pairs}`, amount: "12.00", currency: "USD" }] }),
  "post /api/admin/users": () => ({ email: `u${++pairs}@x.example`, role: "admin" }),
  "patch /api/admin/users/{id}": () => ({ status: "active" }),
  "put /api/admin/programs/{id}/scores": () => SCORES,
  "post /api/admin/smart-links": () => ({ criteria: {}, code: `smart-${++pairs}` }),
  "post /api/conv": () => ({ program_id: ids.programs, brand_order_ref: `C-${++pairs}`, order_value: "20", order_currency: "USD", lc_click: ids.clickId }),
  "post /api/affiliate/webhook": () => ({ vendor_id: "contract", order_id: `G-${++pairs}`, order_total: 120, commission_total: "12.00", currency: "USD", occurred_at: "2026-11-02T11:00:00Z" }),
};

/** A platform report upload: the generic form's columns, one order of ours and one unknown here. */
function reconciliationForm(): FormData {
  const form = new FormData();
  form.set("integration_id", ids.integrations!);
  form.set("period", "2026-11");
  form.set("file", new Blob(["order_id,amount,commission,currency,status\nG-REPLAYED,50.00,5.00,USD,pending\nNOT-HERE-1,20.00,2.00,USD,approved\n"], { type: "text/csv" }), "report.csv");
  return form;
}

/** Real values for path parameters: {id} is whatever the segment before it names. */
function fill(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string, at: number) => {
    if (name !== "id") return ids[name]!;
    const segment = path.slice(0, at - 1).split("/").pop()!;
    if (path.startsWith("/api/conversions/")) return ids.brandConversion!;
    if (path.startsWith("/r/")) return ids.referrers!;
    if (path.endsWith("/mark-failed")) return ids.payout2!; // its own payout: mark-paid takes the first
    if (path.endsWith("/invoices/{id}/void")) return ids.invoice2!; // its own invoice: mark-paid takes the first
    if (path.startsWith("/api/invoices/")) return ids.invoices!;
    return ids[segment]!;
  });
}
const QUERY: Record<string, () => string> = {
  "/r/{id}/ledger": () => `?sig=${ids.ledgerSig}`,
  "/api/affiliate/webhook": () => "?provider=generic",
  "/api/v/{vendor}": () => "?s=sub-1",
  "/api/admin/payouts/export": () => "?period=2026-09&method=paypal",
};

function credentials(op: Operation): Record<string, string> {
  const scheme = op.security ? Object.keys(op.security[0]!)[0] : null;
  if (scheme === "adminToken") return { authorization: `Bearer ${t.adminToken}` };
  if (scheme === "brandKey") return { authorization: `Bearer ${liveKey}` };
  return {};
}

async function call(method: string, c: Call): Promise<Response> {
  return t.request(c.path, { method: method.toUpperCase(), body: c.body, headers: { ...UA, ...(c.body !== undefined && { "content-type": "application/json" }), ...c.headers } });
}

/** The answer is documented for this operation, and its body is of the documented kind. */
async function expectDocumented(op: Operation, res: Response, label: string) {
  const documented = op.responses[String(res.status)];
  expect(documented, `${label}: ${res.status} is not documented (documented: ${Object.keys(op.responses).join(", ")})`).toBeDefined();
  const text = await res.text();
  const content = documented!.content;
  if (!content) return;
  const [type, { schema }] = Object.entries(content)[0]!;
  expect(res.headers.get("content-type") ?? "").toStartWith(type);
  if (type !== "application/json") return;
  const body = JSON.parse(text);
  if (schema.$ref === "#/components/schemas/Error") {
    expect(typeof body.error.code).toBe("string");
    expect(typeof body.error.message).toBe("string");
  } else if (schema.type === "object") {
    expect(body !== null && typeof body === "object" && !Array.isArray(body)).toBe(true);
  }
}

const ORDER = ["get", "put", "post", "patch", "delete"];
const operations = () => Object.entries(doc.paths)
  .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })))
  .sort((a, b) => ORDER.indexOf(a.method) - ORDER.indexOf(b.method));

test("every operation with a request body has a sample here (a new route needs one)", () => {
  const missing = operations().filter((o) => o.op.requestBody && !bodies[`${o.method} ${o.path}`]).map((o) => `${o.method} ${o.path}`);
  expect(missing).toEqual([]);
  expect(operations().length).toBeGreaterThan(40);
});

describe("each documented operation, called for real", () => {
  // Registered lazily: the document is only known once the app has served it.
  test("success answers are the documented ones (201 for creations)", async () => {
    const seen: string[] = [];
    for (const { path, method, op } of operations()) {
      const label = `${method.toUpperCase()} ${path}`;
      const sample = bodies[`${method} ${path}`];
      const headers = { ...credentials(op), ...(path === "/api/affiliate/webhook" && { "x-lastclick-secret": GENERIC_SECRET }) };
      let res: Response;
      if (path === "/api/affiliate/webhook" && method === "get") {
        res = await call(method, { path: `${path}?provider=generic`, headers }); // generic is POST-only: a documented refusal
      } else if (path === "/api/admin/reconciliations") {
        res = await t.request(path, { method: "POST", headers, body: reconciliationForm() }); // multipart, as documented
      } else {
        const body = sample ? JSON.stringify(await sample()) : undefined;
        res = await call(method, { path: fill(path) + (QUERY[path]?.() ?? ""), body, headers });
      }
      const successes = Object.keys(op.responses).filter((s) => s < "400");
      const expected = successes.includes("201") ? "201" : successes.length === 1 ? successes[0] : null;
      if (!(path === "/api/affiliate/webhook" && method === "get")) {
        expect(`${label} -> ${res.status}`).toBe(`${label} -> ${expected ?? res.status}`);
      }
      await expectDocumented(op, res, label);
      seen.push(label);
    }
    expect(seen.length).toBe(operations().length);
  });

  test("rejections are documented: no credentials, unknown ids, invalid and broken bodies, oversized bodies", async () => {
    for (const { path, method, op } of operations()) {
      const label = `${method.toUpperCase()} ${path}`;
      const codes = Object.keys(op.responses);
      const target = fill(path) + (QUERY[path]?.() ?? "");
      const auth = credentials(op);
      const sample = bodies[`${method} ${path}`];
      const body = sample ? JSON.stringify(await sample()) : undefined;
      if (codes.includes("401") && op.security) {
        const res = await call(method, { path: target, body });
        expect(`${label} without credentials -> ${res.status}`).toBe(`${label} without credentials -> 401`);
        await expectDocumented(op, res, label);
      }
      if (codes.includes("404") && path.includes("{")) {
        const res = await call(method, { path: path.replace(/\{\w+\}/g, "nope") + (QUERY[path]?.() ?? ""), body, headers: auth });
        expect(`${label} unknown id -> ${res.status}`).toBe(`${label} unknown id -> 404`);
        await expectDocumented(op, res, label);
      }
      if (op.requestBody && path.startsWith("/api/") && path !== "/api/affiliate/webhook") {
        const invalid = await call(method, { path: target, body: JSON.stringify({ unknown_field_here: [1] }), headers: auth });
        expect(`${label} invalid body -> ${invalid.status}`).toBe(`${label} invalid body -> 422`);
        await expectDocumented(op, invalid, label);
        const broken = await call(method, { path: target, body: "{\"name\":", headers: auth });
        expect(["400", "422"]).toContain(String(broken.status));
        await expectDocumented(op, broken, label);
        const big = await call(method, { path: target, body: JSON.stringify({ pad: "x".repeat(t.ctx.config.MAX_BODY_BYTES) }), headers: auth });
        expect(`${label} oversized -> ${big.status}`).toBe(`${label} oversized -> 413`);
        await expectDocumented(op, big, label);
      }
    }
  });
});

test("platform webhook refusals are the documented ones", async () => {
  const cases: [string, string, Record<string, string>, number][] = [
    ["post", "/api/affiliate/webhook", { "x-lastclick-secret": GENERIC_SECRET }, 400],
    ["post", "/api/affiliate/webhook?provider=nope", { "x-lastclick-secret": GENERIC_SECRET }, 404],
    ["post", "/api/affiliate/webhook?provider=generic", { "x-lastclick-secret": "wrong-secret" }, 401],
    ["get", "/api/affiliate/webhook?provider=generic", { "x-lastclick-secret": GENERIC_SECRET }, 405],
    ["get", "/api/affiliate/webhook", {}, 400],
  ];
  for (const [method, path, headers, status] of cases) {
    const op = doc.paths["/api/affiliate/webhook"]![method]!;
    const res = await call(method, { path, headers, body: method === "post" ? JSON.stringify(await bodies["post /api/affiliate/webhook"]!()) : undefined });
    expect(`${method} ${path} -> ${res.status}`).toBe(`${method} ${path} -> ${status}`);
    await expectDocumented(op, res, path);
  }
});

test("tracking refusals are the documented ones", async () => {
  for (const [path, template] of [["/go/nope", "/go/{slug}"], ["/api/v/nope?s=1", "/api/v/{vendor}"], ["/r/nope/ledger?sig=x", "/r/{id}/ledger"]] as const) {
    const res = await call("get", { path });
    expect(res.status).toBe(404);
    await expectDocumented(doc.paths[template]!.get!, res, path);
  }
});

test("an approval for a pair already on file answers 200 with the same link (documented beside 201)", async () => {
  const op = doc.paths["/api/admin/approvals"]!.post!;
  expect(Object.keys(op.responses)).toContain("200");
  const res = await t.request("/api/admin/approvals", { method: "POST", token: t.adminToken, json: { program_id: ids.programs, publisher_id: ids.publishers } });
  expect(res.status).toBe(200);
  expect((await res.json()).id).toBe(ids.approvals);
});

test("/api/conv answers 200 for a created and for a duplicate order, as documented", async () => {
  const op = doc.paths["/api/conv"]!.post!;
  expect(Object.keys(op.responses).filter((s) => s < "400")).toEqual(["200"]);
  const body = { program_id: ids.programs, brand_order_ref: "C-TWICE", order_value: "5", order_currency: "USD" };
  const first = await t.request("/api/conv", { method: "POST", token: liveKey, json: body });
  expect([first.status, (await first.json()).status]).toEqual([200, "created"]);
  const again = await t.request("/api/conv", { method: "POST", token: liveKey, json: body });
  expect([again.status, (await again.json()).status]).toEqual([200, "duplicate"]);
});
