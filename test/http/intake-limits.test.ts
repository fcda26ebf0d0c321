import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { ADAPTERS } from "../../src/providers";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, network } from "../helpers/factories";
import { hmacBase64 } from "../helpers/sign";

// Small limits so a few hundred requests show a flood: 20 failures per source at once, 60 a minute.
const LIMITS = { INTAKE_FAILED_AUTH_BURST: "20", INTAKE_FAILED_AUTH_PER_MINUTE: "60", INBOX_SAMPLES_PER_MINUTE: "3", INBOX_EXCERPT_BYTES: "1024" };
const SECRET = "refersion-shared-secret";

let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
let refersion: { id: string };

beforeAll(async () => {
  t = await makeTestApp(LIMITS);
  n = await network(t);
  refersion = await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", mode: "live", secret: SECRET });
});
afterAll(() => t.close());

const count = async (q: string) => Number((await t.ctx.client.execute(q)).rows[0]![0] ?? 0);
/** The logical size of the database (main file and WAL alike): pages in use x page size. */
const dbBytes = async () => (await count("PRAGMA page_count")) * (await count("PRAGMA page_size"));
const badPostback = (peer: string, body: string, headers: Record<string, string> = {}) =>
  t.request("/api/conv", { method: "POST", body, peer, headers: { authorization: "Bearer lc_live_not-a-real-key-000000000000", "content-type": "application/json", ...headers } });
const badWebhook = (peer: string, body: string) =>
  t.request("/api/affiliate/webhook?provider=refersion", { method: "POST", body, peer, headers: { "refersion-signature": hmacBase64("wrong", body) } });
const refersionBody = (order = `R-${crypto.randomUUID()}`) => JSON.stringify({ id: 1, status: "PENDING", total: "59.00", currency: "USD", order_id: order, click: { sub_id: null } });
/** Waits for the flood counters written behind the requests. */
async function settled(sql: string, want: number) {
  for (let i = 0; i < 200 && (await count(sql)) !== want; i++) await Bun.sleep(10);
  return count(sql);
}

describe("a flood of requests that fail authentication", () => {
  test("grows the database by far less than the bytes sent; every request is still counted", async () => {
    const before = await dbBytes();
    const rowsBefore = await count("SELECT count(*) FROM inbox");
    const big = "x".repeat(60_000);
    let sent = 0;
    const statuses = new Map<number, number>();
    for (let round = 0; round < 100; round++) {
      const batch = [];
      for (const peer of ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) {
        const body = JSON.stringify({ program_id: n.program.id, brand_order_ref: `F-${round}`, order_value: "1.00", order_currency: "USD", pad: big });
        sent += body.length * 2;
        batch.push(badPostback(peer, body), badWebhook(peer, body));
      }
      for (const res of await Promise.all(batch)) statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect(sent).toBeGreaterThan(35_000_000);
    // 20 failures per source are answered 401, the rest 429 (the clock does not move here).
    expect(statuses.get(401)).toBe(60);
    expect(statuses.get(429)).toBe(540);
    const grown = (await dbBytes()) - before;
    expect(grown).toBeLessThan(sent / 200); // under 0.5% of what was sent (about 180 KB of 36 MB)
    // Per source, provider and answer: 3 rows of their own, then one sample row counting the rest.
    const rows = await count("SELECT count(*) FROM inbox") - rowsBefore;
    expect(rows).toBeLessThanOrEqual(3 * 2 * 2 * 4);
    expect(await settled("SELECT sum(repeat_count) FROM inbox WHERE peer_ip_hash IS NOT NULL AND provider IN ('postback', 'refersion')", 600)).toBe(600);
    const sample = (await api(t, "GET", "/api/admin/inbox?provider=postback&verdict=rejected&limit=200")).data.find((r: { repeat_count: number }) => r.repeat_count > 1);
    expect(sample).toMatchObject({ status_code: 429, body_excerpt: true });
    expect(sample.body_bytes).toBeGreaterThan(60_000);
    expect(sample.body.length).toBe(1024);
    expect(sample.reason).toContain("counted on this row");
  });
});

describe("many sources at once", () => {
  test("past 500 rows of their own in a minute, all sources are counted on shared sample rows", async () => {
    t.clock.advance(60_000); // a fresh minute
    const rowsBefore = await count("SELECT count(*) FROM inbox");
    const counted = "SELECT coalesce(sum(repeat_count), 0) FROM inbox WHERE provider = 'postback' AND status_code = 401";
    const countedBefore = await count(counted);
    for (let i = 0; i < 700; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, k) => badPostback(`10.9.${(i + k) >> 8}.${(i + k) & 255}`, "{}")));
    }
    expect(await count("SELECT count(*) FROM inbox") - rowsBefore).toBe(501);
    expect(await settled(counted, countedBefore + 700)).toBe(countedBefore + 700);
  });
});

describe("rate limits (429 with Retry-After) for sources that fail authentication", () => {
  test("the bucket empties on failures only, answers 429 + Retry-After, and refills with time", async () => {
    const peer = "203.0.113.10";
    for (let i = 0; i < 20; i++) expect((await badPostback(peer, "{}")).status).toBe(401);
    const limited = await badPostback(peer, "{}");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await limited.json()).error.code).toBe("rate_limited");
    const webhook = await badWebhook(peer, refersionBody());
    expect(webhook.status).toBe(429);
    expect(webhook.headers.get("retry-after")).toBe("1");
    // Another source is not affected.
    expect((await badPostback("203.0.113.11", "{}")).status).toBe(401);
    t.clock.advance(1000); // one token back (60 a minute)
    expect((await badPostback(peer, "{}")).status).toBe(401);
    expect((await badPostback(peer, "{}")).status).toBe(429);
  });

  test("X-Forwarded-For is believed only from a trusted proxy: a forged one does not reset the bucket", async () => {
    const peer = "203.0.113.20";
    for (let i = 0; i < 20; i++) await badPostback(peer, "{}", { "x-forwarded-for": `192.0.2.${i}` });
    expect((await badPostback(peer, "{}", { "x-forwarded-for": "192.0.2.99" })).status).toBe(429);
  });

  test("a source that authenticates is never answered 429, even from an address whose bucket is empty", async () => {
    const peer = "203.0.113.30";
    for (let i = 0; i < 25; i++) await badPostback(peer, "{}");
    expect((await badPostback(peer, "{}")).status).toBe(429);
    const ok = await t.request("/api/conv", { method: "POST", peer, token: n.brand.liveKey, json: { program_id: n.program.id, brand_order_ref: "OK-1", order_value: "10.00", order_currency: "USD" } });
    expect(ok.status).toBe(200);
    const body = refersionBody();
    // Found by signature without &i= (one refersion integration: one check), and with &i=.
    const signed = await t.request("/api/affiliate/webhook?provider=refersion", { method: "POST", body, peer, headers: { "refersion-signature": hmacBase64(SECRET, body) } });
    expect(signed.status).toBe(200);
    const body2 = refersionBody();
    const named = await t.request(`/api/affiliate/webhook?provider=refersion&i=${refersion.id}`, { method: "POST", body: body2, peer, headers: { "refersion-signature": hmacBase64(SECRET, body2) } });
    expect(named.status).toBe(200);
    // Successes spend nothing, so failures stay limited.
    expect((await badPostback(peer, "{}")).status).toBe(429);
  });

  test("while limited, a signed request without &i= among a few integrations (up to INTAKE_LIMITED_CHECKS) is checked against all of them", async () => {
    await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "refersion", mode: "live", secret: "another-refersion-secret" });
    const peer = "203.0.113.40";
    for (let i = 0; i < 20; i++) await badPostback(peer, "{}");
    const body = refersionBody();
    const sig = { "refersion-signature": hmacBase64(SECRET, body) };
    const unnamed = await t.request("/api/affiliate/webhook?provider=refersion", { method: "POST", body, peer, headers: sig });
    expect(unnamed.status).toBe(200);
    const forged = await badWebhook(peer, refersionBody());
    expect(forged.status).toBe(429);
    const body1 = refersionBody();
    const named = await t.request(`/api/affiliate/webhook?provider=refersion&i=${refersion.id}`, { method: "POST", body: body1, peer, headers: { "refersion-signature": hmacBase64(SECRET, body1) } });
    expect(named.status).toBe(200);
    // An unlimited source is searched as before.
    const body2 = refersionBody();
    expect((await t.request("/api/affiliate/webhook?provider=refersion", { method: "POST", body: body2, peer: "203.0.113.41", headers: { "refersion-signature": hmacBase64(SECRET, body2) } })).status).toBe(200);
  });

  test("everflow (an address check, no secret work) is still matched across its integrations while the source is limited", async () => {
    await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "everflow", mode: "live", ip_allowlist: ["192.0.2.0/25"] });
    await api(t, "POST", "/api/admin/integrations", { program_id: n.program.id, provider: "everflow", mode: "live", ip_allowlist: ["192.0.2.128/25"] });
    const peer = "192.0.2.200";
    for (let i = 0; i < 20; i++) await badPostback(peer, "{}");
    expect((await badPostback(peer, "{}")).status).toBe(429);
    const res = await t.request("/api/affiliate/webhook?provider=everflow&transaction_id=ef-lim-1&sale_amount=9.00&currency=USD", { peer });
    expect(res.status).toBe(200);
  });
});

describe("what the inbox keeps", () => {
  test("a request that fails authentication: a bounded excerpt, and it cannot be replayed", async () => {
    const body = refersionBody().replace("}", `, "pad": "${"y".repeat(5000)}"}`);
    const res = await badWebhook("203.0.113.50", body);
    expect(res.status).toBe(401);
    const row = await api(t, "GET", `/api/admin/inbox/${(await res.json()).inbox_id}`);
    expect(row).toMatchObject({ body_bytes: body.length, body_excerpt: true });
    expect(row.body).toBe(body.slice(0, 1024));
    const replay = await t.request(`/api/admin/inbox/${row.id}/replay`, { method: "POST", token: t.adminToken, json: {} });
    expect(replay.status).toBe(409);
    expect((await replay.json()).error.message).toContain("excerpt");
  });

  test("an accepted request is kept whole", async () => {
    const res = await t.request("/api/conv", { method: "POST", peer: "203.0.113.60", token: n.brand.liveKey,
      json: { program_id: n.program.id, brand_order_ref: "WHOLE-1", order_value: "10.00", order_currency: "USD", note: "z".repeat(5000) } });
    expect(res.status).toBe(200);
    const row = (await api(t, "GET", "/api/admin/inbox?provider=postback&verdict=accepted&limit=1")).data[0];
    expect(row).toMatchObject({ body_excerpt: false, conversion_id: (await res.json()).conversion.id });
    expect(row.body.length).toBe(row.body_bytes);
    expect(row.body).toContain("z".repeat(5000));
  });
});

describe("inbox size bound (INBOX_MAX_MB)", () => {
  test("the oldest rows go once the inbox outgrows its bound, checked as rows are written and by the retention job", async () => {
    const small = await makeTestApp({ INBOX_MAX_MB: "1" });
    try {
      const m = await network(small);
      const size = async () => Number((await small.ctx.client.execute("SELECT sum(length(body_b64) + length(headers) + length(url) + length(reason) + 200) FROM inbox")).rows[0]![0]);
      let lastId = "";
      for (let i = 0; i < 40; i++) {
        const res = await small.request("/api/conv", { method: "POST", token: m.brand.liveKey,
          json: { program_id: m.program.id, brand_order_ref: `BIG-${i}`, order_value: "1.00", order_currency: "USD", pad: "p".repeat(40_000) } });
        expect(res.status).toBe(200);
        lastId = (await res.json()).conversion.id;
      }
      // Over 2 MB went in; the cheap check ran behind the requests and trimmed the oldest.
      await small.ctx.intake.sizeCheck;
      await Bun.sleep(0);
      await small.ctx.intake.sizeCheck;
      expect(await size()).toBeLessThanOrEqual(1024 * 1024 + 60_000);
      const { pruneInbox } = await import("../../src/integrations/inbox");
      await pruneInbox(small.ctx);
      expect(await size()).toBeLessThanOrEqual(1024 * 1024);
      const newest = (await api(small, "GET", "/api/admin/inbox?limit=1")).data[0];
      expect(newest.conversion_id).toBe(lastId);
      expect(Number((await small.ctx.client.execute("SELECT count(*) FROM conversions")).rows[0]![0])).toBe(40);
    } finally {
      await small.close();
    }
  });
});

describe("a platform address shared by brands, one of which sends a wrong secret (INTAKE_LIMITED_CHECKS = 4)", () => {
  // Burst 5: the misconfigured brand empties the platform address's bucket after five deliveries.
  let u: TestApp;
  const PLATFORM = "198.51.100.200";
  const secrets = { a: "brand-a-secret-as-configured-here", b: "brand-b-secret", c: "brand-c-secret" };
  const ids: Record<string, string> = {};
  const fillers: { id: string; secret: string }[] = [];
  const deliver = (secret: string, peer = PLATFORM, body = refersionBody()) =>
    u.request("/api/affiliate/webhook?provider=refersion", { method: "POST", body, peer, headers: { "refersion-signature": hmacBase64(secret, body) } });
  const limited = async () => (await deliver(secrets.a + "-but-the-platform-has-another")).status === 429;

  beforeAll(async () => {
    u = await makeTestApp({ INTAKE_FAILED_AUTH_BURST: "5", INTAKE_FAILED_AUTH_PER_MINUTE: "60", INTAKE_LIMITED_CHECKS: "4" });
    const filler = await network(u);
    for (let i = 0; i < 12; i++) {
      const secret = `filler-secret-${i}`;
      fillers.push({ id: (await api(u, "POST", "/api/admin/integrations", { program_id: filler.program.id, provider: "refersion", mode: "live", secret })).id, secret });
    }
    for (const brand of ["a", "b", "c"] as const) {
      const m = await network(u);
      ids[brand] = (await api(u, "POST", "/api/admin/integrations", { program_id: m.program.id, provider: "refersion", mode: "live", secret: secrets[brand] })).id;
    }
    // Before the trouble: brand B's platform delivered from the shared address, brand C's from another one.
    expect((await deliver(secrets.b)).status).toBe(200);
    expect((await deliver(secrets.c, "198.51.100.201")).status).toBe(200);
    // Brand A's platform account holds another secret than the one stored here: its deliveries fail.
    for (let i = 0; i < 5; i++) expect((await deliver("what-the-platform-has-for-a")).status).toBe(401);
    expect(await limited()).toBe(true);
  });
  afterAll(() => u.close());

  test("the other brands' signed webhooks without &i= from that address still get 200", async () => {
    expect((await deliver(secrets.b)).status).toBe(200); // verified from this address before
    expect((await deliver(secrets.c)).status).toBe(200); // verified before from another address
    expect(await limited()).toBe(true); // their successes leave the address limited for failures
    const row = (await api(u, "GET", "/api/admin/inbox?provider=refersion&verdict=accepted&limit=1")).data[0];
    expect(row.integration_id).toBe(ids.c);
  });

  test("a forged signature from the limited address costs at most INTAKE_LIMITED_CHECKS verifications, every time", async () => {
    const verify = spyOn(ADAPTERS.refersion!, "verify");
    try {
      for (let i = 0; i < 10; i++) {
        verify.mockClear();
        const res = await deliver(`forged-${i}`);
        expect(res.status).toBe(429);
        expect(res.headers.get("retry-after")).toBe("1");
        expect(verify).toHaveBeenCalledTimes(4); // of 15 refersion integrations
      }
      // An attacker's own address (never verified anything) once limited: the same bound.
      for (let i = 0; i < 5; i++) await deliver(`forged-${i}`, "203.0.113.99");
      verify.mockClear();
      expect((await deliver("forged", "203.0.113.99")).status).toBe(429);
      expect(verify).toHaveBeenCalledTimes(4);
    } finally { verify.mockRestore(); }
  });

  test("a brand-new integration's first webhook through the limited address gets 200 (the newest never-verified integration is always checked)", async () => {
    u.clock.advance(1); // created after the others (a thousandth of a token refilled: still limited)
    const m = await network(u);
    const fresh = await api(u, "POST", "/api/admin/integrations", { program_id: m.program.id, provider: "refersion", mode: "live", secret: "brand-new-secret" });
    expect(await limited()).toBe(true);
    const res = await deliver("brand-new-secret");
    expect(res.status).toBe(200);
    const row = await api(u, "GET", `/api/admin/inbox/${(await res.json()).inbox_id}`);
    expect(row.integration_id).toBe(fresh.id);
  });

  test("an older integration never seen verifying is reached round robin: 429 (bounded work) until its turn, then 200", async () => {
    const verify = spyOn(ADAPTERS.refersion!, "verify");
    try {
      const old = fillers[7]!;
      let attempts = 0;
      let status = 0;
      // 16 integrations, 4 of them picked by recency or as the newest: the round robin covers the rest within 12 tries.
      while (status !== 200 && attempts < 16) {
        verify.mockClear();
        attempts++;
        status = (await deliver(old.secret)).status;
        if (status !== 200) {
          expect(status).toBe(429);
          expect(verify.mock.calls.length).toBeLessThanOrEqual(4);
        }
      }
      expect(status).toBe(200);
      expect(attempts).toBeLessThanOrEqual(12);
      // Now it has verified from this address: its next delivery passes at once.
      expect((await deliver(old.secret)).status).toBe(200);
    } finally { verify.mockRestore(); }
  });

  test("with &i= any integration is checked at once, and brand A's wrong secret stays 429", async () => {
    const body = refersionBody();
    const named = await u.request(`/api/affiliate/webhook?provider=refersion&i=${fillers[3]!.id}`, { method: "POST", body, peer: PLATFORM, headers: { "refersion-signature": hmacBase64(fillers[3]!.secret, body) } });
    expect(named.status).toBe(200);
    expect((await deliver("what-the-platform-has-for-a")).status).toBe(429);
  });

  test("a secret two integrations share is still refused as ambiguous from the limited address, not guessed", async () => {
    const m = await network(u);
    for (let i = 0; i < 2; i++) {
      u.clock.advance(1);
      await api(u, "POST", "/api/admin/integrations", { program_id: m.program.id, provider: "refersion", mode: "live", secret: "one-secret-for-two" });
    }
    const verify = spyOn(ADAPTERS.refersion!, "verify");
    try {
      // The newest never-verified integration (one of the two) vouches, so all 18 are checked: two fit.
      expect((await deliver("one-secret-for-two")).status).toBe(429);
      expect(verify).toHaveBeenCalledTimes(18);
    } finally { verify.mockRestore(); }
    const recorded = await u.ctx.client.execute({ sql: "SELECT count(*) FROM conversions WHERE program_id = ?", args: [m.program.id] });
    expect(Number(recorded.rows[0]![0])).toBe(0);
    // Unlimited, the same request gets the same answer (401, ambiguous): the limit changed only the cost.
    const res = await deliver("one-secret-for-two", "198.51.100.202");
    expect(res.status).toBe(401);
    expect((await api(u, "GET", `/api/admin/inbox/${(await res.json()).inbox_id}`)).reason).toContain("ambiguous");
  });
});
