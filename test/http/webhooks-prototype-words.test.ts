import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, network } from "../helpers/factories";
import { basic, hmacBase64 } from "../helpers/sign";

// Words that name members of Object.prototype, sent by a platform whose
// credentials are right: as a status, as a currency and as field names. None
// may reach an inherited member (a 500, or `constructor` mapping to a status).
const WORDS = ["__proto__", "constructor", "toString", "hasOwnProperty"];

let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
const ids: Record<string, string> = {};
beforeAll(async () => {
  t = await makeTestApp();
  n = await network(t, { commission_type: "percentage", commission_value: "10" });
  const add = async (provider: string, creds: Record<string, unknown>) =>
    (ids[provider] = (await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider, mode: "live", ...creds })).id);
  await add("refersion", { secret: "refersion-secret" });
  await add("impact", { basic_user: "IRsid-proto", basic_password: "impact-auth-token" });
  await add("everflow", { ip_allowlist: ["198.51.100.0/24"] });
  await add("generic", { secret: "generic-secret", vendor_id: "proto-vendor" });
  await add("shopify", { secret: "shopify-secret" });
  await add("woocommerce", { secret: "woocommerce-secret" });
});
afterAll(() => t.close());

const count = async () => Number((await t.ctx.client.execute("select count(*) from conversions")).rows[0]![0]);
const conv = (id: string) => api(t, "GET", `/api/admin/conversions/${id}`);
let seq = 0;
const orderId = () => `PW-${++seq}`;

type Fields = Record<string, unknown>;
/** One signed (or otherwise authenticated) request per adapter, the order fields named as that platform names them. */
interface Adapter {
  fields(order: string, over?: { status?: string; currency?: string }): Fields;
  send(fields: Fields, rawJson?: string): Promise<Response>;
  /** How an unknown status word is treated: refused (422) or read as pending (the platform documents open-ended statuses). */
  unknownStatus: "refused" | "pending";
}

const jsonPost = (provider: string, headers: (body: string) => Record<string, string>) => (fields: Fields, rawJson?: string) => {
  const body = rawJson ?? JSON.stringify(fields);
  return t.request(`/api/affiliate/webhook?provider=${provider}&i=${ids[provider]}`, {
    method: "POST", body, headers: { "content-type": "application/json", ...headers(body) },
  });
};
const getQuery = (provider: string, init: RequestInit & { peer?: string }) => (fields: Fields) => {
  const qs = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return t.request(`/api/affiliate/webhook?provider=${provider}&i=${ids[provider]}&${qs}`, init);
};

const ADAPTERS: Record<string, Adapter> = {
  refersion: {
    fields: (o, x = {}) => ({ order_id: o, total: "59.00", currency: x.currency ?? "USD", status: x.status ?? "PENDING" }),
    send: jsonPost("refersion", (b) => ({ "refersion-signature": hmacBase64("refersion-secret", b) })),
    unknownStatus: "refused",
  },
  impact: {
    fields: (o, x = {}) => ({ OrderId: o, Amount: "59.00", Currency: x.currency ?? "USD", Status: x.status ?? "PENDING" }),
    send: getQuery("impact", { headers: { authorization: basic("IRsid-proto", "impact-auth-token") } }),
    unknownStatus: "refused",
  },
  everflow: {
    fields: (o, x = {}) => ({ transaction_id: o, sale_amount: "59.00", currency: x.currency ?? "USD", status: x.status ?? "pending" }),
    send: getQuery("everflow", { peer: "198.51.100.7" }),
    unknownStatus: "refused",
  },
  generic: {
    fields: (o, x = {}) => ({ vendor_id: "proto-vendor", order_id: o, order_total: "59.00", currency: x.currency ?? "USD", status: x.status ?? "pending" }),
    send: jsonPost("generic", () => ({ "x-lastclick-secret": "generic-secret" })),
    unknownStatus: "refused",
  },
  shopify: {
    fields: (o, x = {}) => ({ id: o, total_price: "59.00", currency: x.currency ?? "USD", financial_status: x.status ?? "paid" }),
    send: jsonPost("shopify", (b) => ({ "x-shopify-hmac-sha256": hmacBase64("shopify-secret", b), "x-shopify-topic": "orders/create" })),
    unknownStatus: "pending",
  },
  woocommerce: {
    fields: (o, x = {}) => ({ id: o, total: "59.00", currency: x.currency ?? "USD", status: x.status ?? "processing" }),
    send: jsonPost("woocommerce", (b) => ({ "x-wc-webhook-signature": hmacBase64("woocommerce-secret", b), "x-wc-webhook-topic": "order.updated" })),
    unknownStatus: "pending",
  },
};

for (const [provider, a] of Object.entries(ADAPTERS)) {
  describe(`${provider}: Object.prototype words from an authenticated platform`, () => {
    test.each(WORDS)("status %p", async (word) => {
      const before = await count();
      const res = await a.send(a.fields(orderId(), { status: word }));
      const body = await res.json();
      if (a.unknownStatus === "refused") {
        expect(res.status).toBe(422);
        expect(body.error.message).toContain(`"${word}" is not recognised`);
        expect(await count()).toBe(before);
      } else {
        expect([res.status, body.status, body.conversion_status]).toEqual([200, "created", "pending"]);
        expect(await count()).toBe(before + 1);
      }
    });

    test.each(WORDS)("currency %p", async (word) => {
      const before = await count();
      const res = await a.send(a.fields(orderId(), { currency: word }));
      expect(res.status).toBe(422);
      expect((await res.json()).error.message).toContain(`"${word}" is not an ISO 4217 code`);
      expect(await count()).toBe(before);
    });

    test("field names: values under __proto__, constructor, toString, hasOwnProperty are not order fields", async () => {
      const order = orderId();
      const decoys = Object.fromEntries(WORDS.map((w) => [w, w === "__proto__" || w === "constructor" ? "1" : "x"]));
      const res = await a.send({ ...decoys, ...a.fields(order) });
      expect(res.status).toBe(200);
      const stored = await conv((await res.json()).id);
      expect(stored).toMatchObject({ order_value: "59.00", order_currency: "USD", status: "pending" });
      expect(stored.brand_order_ref).toStartWith(order);
    });
  });
}

describe("JSON bodies whose fields sit only under __proto__ or constructor", () => {
  test.each(["refersion", "generic", "shopify", "woocommerce"])("%s: nothing is inherited, the order is refused as incomplete", async (provider) => {
    const a = ADAPTERS[provider]!;
    const before = await count();
    for (const word of ["__proto__", "constructor"]) {
      const inner = a.fields(orderId());
      // Written by hand: JSON.stringify would drop a literal __proto__ key.
      const raw = `{"${word}":${JSON.stringify(inner)}${provider === "generic" ? ',"vendor_id":"proto-vendor"' : ""}}`;
      const res = await a.send({}, raw);
      expect(res.status).toBe(422);
      expect((await res.json()).error.message).toContain("missing order id");
    }
    expect(await count()).toBe(before);
  });
});

describe("other places where outside words pick an entry", () => {
  test.each(WORDS)("provider=%s is an unknown provider (404), not a member of the adapter table", async (word) => {
    const res = await t.request(`/api/affiliate/webhook?provider=${word}`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("unknown_provider");
  });
  test("query parameters named like Object members are parameters: named as unknown (not a false 'given twice', not dropped)", async () => {
    for (const word of WORDS) {
      const res = await t.request(`/api/admin/conversions?${word}=1`, { token: t.adminToken });
      expect(res.status).toBe(422);
      expect((await res.json()).error.fields._).toEqual([`Unrecognized key: "${word}"`]);
    }
    const twice = await t.request("/api/admin/conversions?constructor=1&constructor=2", { token: t.adminToken });
    expect(twice.status).toBe(400);
    expect((await twice.json()).error.message).toBe('Query parameter "constructor" given twice');
  });
});
