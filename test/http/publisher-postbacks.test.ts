import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { apiRoutes } from "../../src/app";
import { outbox, publisherPostbacks } from "../../src/db/schema";
import { deliverDue, MACROS, wakeOnConversions } from "../../src/outbound";
import { BACKOFF_MS, MAX_ATTEMPTS, PAUSE_AFTER_FAILURES } from "../../src/outbound/policy";
import { UUID_RE } from "../../src/shared/ids";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, approve, click, makePublisher, network, postback } from "../helpers/factories";

/** A real HTTP receiver on 127.0.0.1: records every request; behaviour by path prefix. */
interface Received { method: string; path: string; query: URLSearchParams; headers: Headers; body: string; at: number; answeredAt?: number }
const received: Received[] = [];
const statusOverride = new Map<string, number>();
let receiver: ReturnType<typeof Bun.serve>;
let base: string;

function startReceiver() {
  receiver = Bun.serve({
    hostname: "127.0.0.1", port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const r: Received = { method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, body: await req.text(), at: performance.now() };
      received.push(r);
      const answer = (res: Response) => { r.answeredAt = performance.now(); return res; };
      const override = statusOverride.get(url.pathname);
      if (override) return answer(new Response("override", { status: override }));
      if (url.pathname.startsWith("/fail/")) return answer(new Response("<h1>upstream exploded</h1>", { status: 500 }));
      if (url.pathname.startsWith("/redirect/")) return answer(new Response(null, { status: 302, headers: { location: "https://elsewhere.example/" } }));
      if (url.pathname.startsWith("/slow/")) await Bun.sleep(800);
      if (url.pathname.startsWith("/hang/")) await Bun.sleep(1500);
      return answer(new Response("OK"));
    },
  });
  base = `http://127.0.0.1:${receiver.port}`;
}
const hits = (path: string) => received.filter((r) => r.path === path);

let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
beforeAll(async () => { startReceiver(); t = await makeTestApp(); n = await network(t); });
afterAll(async () => { await t.close(); await receiver.stop(true); });

/** A publisher of its own (so endpoints do not see each other's conversions), approved for the program. */
async function freshPublisher(name: string) {
  const pub = await makePublisher(t, name);
  const link = await approve(t, n.program.id, pub.id);
  return { id: pub.id as string, path: `/go/${link.slug}` };
}
const addEndpoint = (publisherId: string, body: Record<string, unknown>) => api(t, "POST", `/api/admin/publishers/${publisherId}/postbacks`, body);
const endpoints = async (publisherId: string) => (await api(t, "GET", `/api/admin/publishers/${publisherId}/postbacks`)).data as any[];
async function convert(pubPath: string, opts: { query?: string; ref?: string; value?: string; key?: string } = {}) {
  const { clickId } = await click(t, pubPath + (opts.query ?? ""));
  const ref = opts.ref ?? `ORD-${crypto.randomUUID()}`;
  const res = await postback(t, opts.key ?? n.brand.liveKey, { program_id: n.program.id, brand_order_ref: ref, order_value: opts.value ?? "99.00", order_currency: "USD", lc_click: clickId });
  expect(res.status).toBe(200);
  return { clickId, ref, conversion: (await res.json()).conversion as { id: string; publisher_payout: string } };
}
const outboxCount = async () => (await t.ctx.db.select().from(outbox)).length;

describe("GET postbacks with macros, per event", () => {
  test("created, approved and reversed each reach the publisher after commit, with the values filled in", async () => {
    const pub = await freshPublisher("Macro Blog");
    const path = "/ok/macros";
    const template = `${base}${path}?cid={click_id}&s1={sub1}&s2={sub2}&s5={sub5}&ref={order_ref}&p={payout}&pm={payout_minor}&c={currency}`
      + `&st={status}&prog={program_id}&pub={publisher_id}&conv={conversion_id}&ev={event}&t={test}&d={delivery_id}&ts={timestamp}`;
    const ep = await addEndpoint(pub.id, { url: template });
    expect(ep).toMatchObject({ method: "GET", status: "active", consecutive_failures: 0, signed: false, events: ["conversion.created", "conversion.approved", "conversion.reversed"] });

    const { clickId, ref, conversion } = await convert(pub.path, { query: "?sub1=summer%20sale&sub2=a/b%26c" });
    expect(hits(path)).toHaveLength(0); // the brand's postback answered; nothing was sent inside it
    expect(await deliverDue(t.ctx)).toEqual({ done: 1, alreadyDone: 0, skipped: 0, failures: 0 });
    const [created] = hits(path);
    expect(created!.method).toBe("GET");
    expect(Object.fromEntries(created!.query)).toMatchObject({
      cid: clickId, s1: "summer sale", s2: "a/b&c", s5: "", ref, p: "7.92", pm: "792", c: "USD", st: "pending",
      prog: n.program.id, pub: pub.id, conv: conversion.id, ev: "conversion.created", t: "0", ts: String(Math.floor(t.clock.now() / 1000)),
    });
    expect(created!.query.get("d")).toMatch(UUID_RE);
    expect(await deliverDue(t.ctx)).toEqual({ done: 0, alreadyDone: 0, skipped: 0, failures: 0 }); // sent once

    await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`);
    await deliverDue(t.ctx);
    await api(t, "POST", `/api/admin/conversions/${conversion.id}/reverse`, { reason: "chargeback" });
    await deliverDue(t.ctx);
    const events = hits(path).map((r) => [r.query.get("ev"), r.query.get("st"), r.query.get("p")]);
    expect(events).toEqual([["conversion.created", "pending", "7.92"], ["conversion.approved", "approved", "7.92"], ["conversion.reversed", "reversed", "7.92"]]);
    expect(new Set(hits(path).map((r) => r.query.get("d"))).size).toBe(3);

    const [shown] = await endpoints(pub.id);
    expect(shown).toMatchObject({ status: "active", consecutive_failures: 0, deliveries: { pending: 0, sent: 3, dead: 0 } });
    expect(shown.recent_attempts.map((a: any) => [a.event, a.ok, a.status_code])).toEqual([
      ["conversion.reversed", true, 200], ["conversion.approved", true, 200], ["conversion.created", true, 200],
    ]);
  });

  test("an endpoint gets only the events it subscribed to; a repeat of the postback queues nothing", async () => {
    const pub = await freshPublisher("Approved Only");
    const path = "/ok/approved-only";
    await addEndpoint(pub.id, { url: `${base}${path}?e={event}`, events: ["conversion.approved"] });
    const { ref, conversion } = await convert(pub.path);
    const before = await outboxCount();
    const dup = await postback(t, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: ref, order_value: "99.00", order_currency: "USD" });
    expect((await dup.json()).status).toBe("duplicate");
    expect(await outboxCount()).toBe(before);
    await deliverDue(t.ctx);
    expect(hits(path)).toHaveLength(0);
    await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`);
    await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`); // a no-op repeat queues nothing either
    await deliverDue(t.ctx);
    expect(hits(path).map((r) => r.query.get("e"))).toEqual(["conversion.approved"]);
  });

  test("test-mode conversions are delivered too, marked test=1; unattributed ones notify nobody", async () => {
    const pub = await freshPublisher("Tester");
    const path = "/ok/test-mode";
    await addEndpoint(pub.id, { url: `${base}${path}?t={test}&st={status}` });
    await convert(pub.path, { key: n.brand.testKey });
    const before = await outboxCount();
    await postback(t, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: `U-${crypto.randomUUID()}`, order_value: "5", order_currency: "USD" });
    expect(await outboxCount()).toBe(before);
    await deliverDue(t.ctx);
    expect(hits(path).map((r) => r.query.get("t"))).toEqual(["1"]);
  });
});

describe("POST postbacks with an HMAC signature", () => {
  test("JSON body signed with the endpoint secret; the receiver can verify it; the secret is never shown", async () => {
    const pub = await freshPublisher("Signed Co");
    const path = "/ok/signed";
    const secret = "whsec-0123456789abcdef";
    const ep = await addEndpoint(pub.id, { url: `${base}${path}?conv={conversion_id}`, method: "POST", signing_secret: secret });
    expect(ep.signed).toBe(true);
    expect(JSON.stringify(ep)).not.toContain(secret);
    const [row] = await t.ctx.db.select().from(publisherPostbacks).where((await import("drizzle-orm")).eq(publisherPostbacks.id, ep.id));
    expect(row!.signingSecretSealed).not.toContain(secret);
    expect(t.ctx.secrets.open(row!.signingSecretSealed!)).toBe(secret);

    const { clickId, ref, conversion } = await convert(pub.path, { query: "?sub3=x" });
    await deliverDue(t.ctx);
    const [req] = hits(path);
    expect(req!.method).toBe("POST");
    expect(req!.query.get("conv")).toBe(conversion.id);
    expect(req!.headers.get("content-type")).toBe("application/json");
    const expected = `sha256=${createHmac("sha256", secret).update(req!.body).digest("hex")}`;
    expect(req!.headers.get("x-lastclick-signature")).toBe(expected);
    const body = JSON.parse(req!.body);
    expect(body).toMatchObject({
      event: "conversion.created", conversion_id: conversion.id, click_id: clickId, order_ref: ref, payout: "7.92", payout_minor: 792,
      currency: "USD", status: "pending", test: false, sub1: null, sub3: "x", publisher_id: pub.id, program_id: n.program.id,
    });
    expect(String(body.sent_at)).toBe(req!.headers.get("x-lastclick-timestamp")!); // the timestamp is inside the signed bytes
    const forged = `sha256=${createHmac("sha256", "another-secret-xxxxxxxx").update(req!.body).digest("hex")}`;
    expect(req!.headers.get("x-lastclick-signature")).not.toBe(forged);
  });

  test("POST without a secret is sent unsigned", async () => {
    const pub = await freshPublisher("Unsigned Co");
    await addEndpoint(pub.id, { url: `${base}/ok/unsigned`, method: "POST" });
    await convert(pub.path);
    await deliverDue(t.ctx);
    const [req] = hits("/ok/unsigned");
    expect(req!.headers.get("x-lastclick-signature")).toBeNull();
    expect(JSON.parse(req!.body).event).toBe("conversion.created");
  });
});

describe("failures: backoff, dead letters, pause and resume", () => {
  test("a failing endpoint is retried on the backoff schedule, paused after repeated failures, shown, and resumed", async () => {
    const pub = await freshPublisher("Flaky");
    const path = "/fail/flaky";
    const ep = await addEndpoint(pub.id, { url: `${base}${path}?c={conversion_id}` });
    for (let i = 0; i < 3; i++) await convert(pub.path);
    expect(await deliverDue(t.ctx)).toMatchObject({ done: 0, failures: 3 });

    t.clock.advance(BACKOFF_MS[0] - 1);
    expect(await deliverDue(t.ctx)).toMatchObject({ done: 0, failures: 0 }); // not due yet
    t.clock.advance(1);
    expect(await deliverDue(t.ctx)).toMatchObject({ failures: 3 });
    t.clock.advance(BACKOFF_MS[1]);
    expect(await deliverDue(t.ctx)).toMatchObject({ failures: 3 });
    let [shown] = await endpoints(pub.id);
    expect(shown).toMatchObject({ status: "active", consecutive_failures: 9 });

    t.clock.advance(BACKOFF_MS[2]);
    expect(await deliverDue(t.ctx)).toMatchObject({ failures: 1, skipped: 2 }); // the 10th failure pauses it; the rest wait
    [shown] = await endpoints(pub.id);
    expect(shown).toMatchObject({ status: "paused", consecutive_failures: PAUSE_AFTER_FAILURES, deliveries: { pending: 3, sent: 0, dead: 0 } });
    expect(shown.paused_reason).toContain(`${PAUSE_AFTER_FAILURES} consecutive failed deliveries`);
    expect(shown.paused_reason).toContain("HTTP 500");
    expect(shown.recent_attempts).toHaveLength(5);
    expect(shown.recent_attempts[0]).toMatchObject({ ok: false, status_code: 500 });
    expect(shown.recent_attempts[0].error).toContain("upstream exploded");
    expect(hits(path)).toHaveLength(10);

    // Paged attempt log: all ten, newest first, no repeats.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string; at: string }[]; next_cursor: string | null } = await api(t, "GET", `/api/admin/publishers/${pub.id}/postbacks/${ep.id}/attempts?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.data.map((a) => a.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(10);
    expect([...seen].sort().reverse()).toEqual(seen);

    // Paused: nothing is tried however long we wait, and new conversions queue nothing.
    t.clock.advance(BACKOFF_MS[5]);
    expect(await deliverDue(t.ctx)).toMatchObject({ done: 0, failures: 0 });
    await convert(pub.path);
    expect((await endpoints(pub.id))[0].deliveries.pending).toBe(3);
    expect(hits(path)).toHaveLength(10);

    // The publisher fixes its endpoint; the admin resumes: failures reset, held deliveries go out at once.
    statusOverride.set(path, 204);
    const resumed = await api(t, "PATCH", `/api/admin/publishers/${pub.id}/postbacks/${ep.id}`, { status: "active" });
    expect(resumed).toMatchObject({ status: "active", consecutive_failures: 0, paused_reason: null });
    expect(await deliverDue(t.ctx)).toMatchObject({ done: 3, failures: 0 });
    [shown] = await endpoints(pub.id);
    expect(shown).toMatchObject({ status: "active", consecutive_failures: 0, deliveries: { pending: 0, sent: 3, dead: 0 } });
    const trail = (await api(t, "GET", `/api/admin/audit?entity_id=${ep.id}`)).data.map((r: { action: string }) => r.action);
    expect(trail).toContain("publisher_postback.updated");
  });

  test(`a delivery that fails ${MAX_ATTEMPTS} times is dead and never tried again`, async () => {
    const pub = await freshPublisher("Always Down");
    const path = "/fail/dead";
    const ep = await addEndpoint(pub.id, { url: `${base}${path}` });
    await convert(pub.path);
    await deliverDue(t.ctx);
    for (const wait of BACKOFF_MS) {
      t.clock.advance(wait - 1);
      await deliverDue(t.ctx);
      t.clock.advance(1);
      expect(await deliverDue(t.ctx)).toMatchObject({ failures: 1 });
    }
    expect(hits(path)).toHaveLength(MAX_ATTEMPTS);
    t.clock.advance(BACKOFF_MS[6] * 10);
    expect(await deliverDue(t.ctx)).toMatchObject({ failures: 0 });
    expect(hits(path)).toHaveLength(MAX_ATTEMPTS);
    const [shown] = await endpoints(pub.id);
    expect(shown).toMatchObject({ status: "active", consecutive_failures: MAX_ATTEMPTS, deliveries: { pending: 0, sent: 0, dead: 1 } });
    const [row] = await t.ctx.db.select().from(outbox).where((await import("drizzle-orm")).eq(outbox.endpointId, ep.id));
    expect(row).toMatchObject({ status: "dead", attempts: MAX_ATTEMPTS });
    expect(row!.lastError).toContain("HTTP 500");
  });

  test("timeouts and redirects count as failures, with the reason logged", async () => {
    const pub = await freshPublisher("Odd Answers");
    const slow = await addEndpoint(pub.id, { url: `${base}/hang/x` });
    const redirect = await addEndpoint(pub.id, { url: `${base}/redirect/x` });
    await convert(pub.path);
    expect(await deliverDue(t.ctx, { timeoutMs: 200 })).toMatchObject({ done: 0, failures: 2 });
    const attempts = async (id: string) => (await api(t, "GET", `/api/admin/publishers/${pub.id}/postbacks/${id}/attempts`)).data;
    expect((await attempts(slow.id))[0]).toMatchObject({ ok: false, status_code: null, error: "timed out after 200 ms" });
    expect((await attempts(redirect.id))[0]).toMatchObject({ ok: false, status_code: 302 });
    expect((await attempts(redirect.id))[0].error).toContain("not followed");
    for (const e of [slow, redirect]) await api(t, "DELETE", `/api/admin/publishers/${pub.id}/postbacks/${e.id}`);
  });

  test("an admin pause holds deliveries; delete drops the undelivered ones", async () => {
    const pub = await freshPublisher("Stopped");
    const path = "/ok/stopped";
    const ep = await addEndpoint(pub.id, { url: `${base}${path}` });
    await convert(pub.path);
    const paused = await api(t, "PATCH", `/api/admin/publishers/${pub.id}/postbacks/${ep.id}`, { status: "paused" });
    expect(paused).toMatchObject({ status: "paused", paused_reason: "paused by an admin" });
    await deliverDue(t.ctx);
    expect(hits(path)).toHaveLength(0);
    expect(await api(t, "DELETE", `/api/admin/publishers/${pub.id}/postbacks/${ep.id}`)).toEqual({ id: ep.id, deleted: true });
    expect(await endpoints(pub.id)).toEqual([]);
    const rows = await t.ctx.db.select().from(outbox).where((await import("drizzle-orm")).eq(outbox.endpointId, ep.id));
    expect(rows.map((r) => [r.status, r.lastError])).toEqual([["dead", "endpoint deleted"]]);
    await api(t, "PATCH", `/api/admin/publishers/${pub.id}/postbacks/${ep.id}`, { status: "active" }).then(() => { throw new Error("should 404"); }, (e) => expect(String(e)).toContain("404"));
    expect((await t.request(`/api/admin/publishers/${pub.id}/postbacks/${ep.id}`, { method: "DELETE", token: t.adminToken })).status).toBe(404);
    await deliverDue(t.ctx);
    expect(hits(path)).toHaveLength(0);
  });
});

describe("dispatching is after commit, claimed once", () => {
  test("the brand's postback returns before the publisher is called; the wake-up delivers right after", async () => {
    const pub = await freshPublisher("Instant");
    const path = "/slow/instant";
    await addEndpoint(pub.id, { url: `${base}${path}?c={conversion_id}` });
    const waker = wakeOnConversions(t.ctx);
    try {
      const { clickId } = await click(t, pub.path);
      const started = performance.now();
      const res = await postback(t, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: `W-${crypto.randomUUID()}`, order_value: "99.00", order_currency: "USD", lc_click: clickId });
      const answeredAt = performance.now();
      expect(res.status).toBe(200);
      const id = (await res.json()).conversion.id;
      expect(answeredAt - started).toBeLessThan(700); // the receiver takes 800 ms to answer
      for (let i = 0; i < 100 && !hits(path)[0]?.answeredAt; i++) await Bun.sleep(20);
      const [req] = hits(path);
      expect(req!.query.get("c")).toBe(id);
      expect(req!.at - answeredAt).toBeLessThan(500); // near-instant, without waiting for the next tick
      expect(req!.answeredAt!).toBeGreaterThan(answeredAt);
      await waker.idle();
      expect((await endpoints(pub.id))[0].deliveries).toEqual({ pending: 0, sent: 1, dead: 0 });
    } finally {
      await waker.stop();
    }
  });

  test("two dispatchers running at once send each delivery exactly once", async () => {
    const pub = await freshPublisher("Raced");
    const path = "/ok/raced";
    await addEndpoint(pub.id, { url: `${base}${path}?c={conversion_id}` });
    for (let i = 0; i < 5; i++) await convert(pub.path);
    const results = await Promise.all([deliverDue(t.ctx), deliverDue(t.ctx), deliverDue(t.ctx)]);
    expect(results.reduce((s, r) => s + r.done, 0)).toBe(5);
    expect(new Set(hits(path).map((r) => r.query.get("c"))).size).toBe(5);
    expect(hits(path)).toHaveLength(5);
  });
});

describe("management API: validation and access", () => {
  let pub: { id: string; path: string };
  beforeAll(async () => { pub = await freshPublisher("Validated"); });
  const create = (body: unknown, publisherId = pub.id, token: string | undefined = t.adminToken) =>
    t.request(`/api/admin/publishers/${publisherId}/postbacks`, { method: "POST", json: body, token });
  const count = async () => (await t.ctx.db.select().from(publisherPostbacks)).length;

  test.each([
    ["not a URL", { url: "not a url" }, "url"],
    ["javascript: URL", { url: "javascript:alert(1)//{click_id}" }, "url"],
    ["ftp URL", { url: "ftp://files.example/{click_id}" }, "url"],
    ["relative URL", { url: "/postback?c={click_id}" }, "url"],
    ["scheme without slashes", { url: "https:pub.example/x" }, "url"],
    ["unknown macro", { url: "https://pub.example/pb?c={clickid}" }, "url"],
    ["macro named like an Object member", { url: "https://pub.example/pb?c={constructor}&d={__proto__}&e={toString}" }, "url"],
    ["macro in the host", { url: "https://{sub1}.pub.example/pb" }, "url"],
    ["unmatched brace", { url: "https://pub.example/pb?c={click_id" }, "url"],
    ["space inside", { url: "https://pub.example/p b" }, "url"],
    ["empty URL", { url: "" }, "url"],
    ["missing URL", {}, "url"],
    ["unknown method", { url: "https://pub.example/pb", method: "PUT" }, "method"],
    ["unknown event", { url: "https://pub.example/pb", events: ["conversion.paid"] }, "events.0"],
    ["no events", { url: "https://pub.example/pb", events: [] }, "events"],
    ["event twice", { url: "https://pub.example/pb", events: ["conversion.created", "conversion.created"] }, "events"],
    ["secret on GET", { url: "https://pub.example/pb", signing_secret: "0123456789abcdefXYZ" }, "signing_secret"],
    ["short secret", { url: "https://pub.example/pb", method: "POST", signing_secret: "short" }, "signing_secret"],
    ["unknown field", { url: "https://pub.example/pb", retries: 99 }, "_"],
  ])("%s -> 422, nothing stored", async (_name, body, field) => {
    const before = await count();
    const res = await create(body);
    expect(res.status).toBe(422);
    const j = await res.json();
    expect(j.error.code).toBe("validation_failed");
    expect(Object.keys(j.error.fields)).toContain(field);
    expect(await count()).toBe(before);
  });

  test("the unknown-macro message names it and lists the known ones", async () => {
    const j = await (await create({ url: "https://pub.example/pb?c={clickid}&x={foo}" })).json();
    expect(j.error.fields.url[0]).toContain("{clickid}, {foo}");
    expect(j.error.fields.url[0]).toContain("{sub5}");
  });

  test("every known macro is accepted, in path and query", async () => {
    const url = `https://pub.example/pb/{conversion_id}?${MACROS.map((m) => `${m}={${m}}`).join("&")}`;
    const ep = await api(t, "POST", `/api/admin/publishers/${pub.id}/postbacks`, { url });
    expect(ep.url).toBe(url);
    await api(t, "DELETE", `/api/admin/publishers/${pub.id}/postbacks/${ep.id}`);
  });

  test("unknown publisher or endpoint -> 404; another publisher's endpoint -> 404", async () => {
    expect((await create({ url: "https://pub.example/pb" }, "no-such-publisher")).status).toBe(404);
    expect((await t.request(`/api/admin/publishers/no-such-publisher/postbacks`, { token: t.adminToken })).status).toBe(404);
    const ep = await addEndpoint(pub.id, { url: "https://pub.example/pb" });
    const other = await freshPublisher("Other Owner");
    for (const [method, suffix, json] of [["PATCH", "", { status: "paused" }], ["DELETE", "", undefined], ["GET", "/attempts", undefined]] as const) {
      expect((await t.request(`/api/admin/publishers/${other.id}/postbacks/${ep.id}${suffix}`, { method, json, token: t.adminToken })).status).toBe(404);
      expect((await t.request(`/api/admin/publishers/${pub.id}/postbacks/nope${suffix}`, { method, json, token: t.adminToken })).status).toBe(404);
    }
    expect((await endpoints(pub.id)).find((e) => e.id === ep.id).status).toBe("active");
    await api(t, "DELETE", `/api/admin/publishers/${pub.id}/postbacks/${ep.id}`);
  });

  test("no token, a brand key or a forged token -> 401 on every postback route", async () => {
    const ep = await addEndpoint(pub.id, { url: "https://pub.example/pb" });
    const routes = apiRoutes.filter((r) => r.path.includes("/postbacks"));
    expect(routes.length).toBe(5);
    for (const r of routes) {
      const path = r.path.replace("{id}", pub.id).replace("{pid}", ep.id);
      for (const token of [undefined, n.brand.liveKey, "lc_admin_forged"]) {
        const res = await t.request(path, { method: r.method.toUpperCase(), json: r.body ? { url: "https://x.example/", status: "paused" } : undefined, token });
        expect(res.status).toBe(401);
      }
    }
    expect((await endpoints(pub.id)).find((e) => e.id === ep.id).status).toBe("active");
    await api(t, "DELETE", `/api/admin/publishers/${pub.id}/postbacks/${ep.id}`);
  });

  test("PATCH: empty body, secret on a GET endpoint, switching a signed endpoint to GET -> 422; valid changes apply", async () => {
    const ep = await addEndpoint(pub.id, { url: "https://pub.example/pb", method: "POST", signing_secret: "0123456789abcdef!!" });
    const patch = (json: unknown) => t.request(`/api/admin/publishers/${pub.id}/postbacks/${ep.id}`, { method: "PATCH", json, token: t.adminToken });
    expect((await patch({})).status).toBe(422);
    const toGet = await patch({ method: "GET" });
    expect(toGet.status).toBe(422);
    expect((await toGet.json()).error.fields).toHaveProperty("method");
    expect((await patch({ url: "https://pub.example/pb?c={nope}" })).status).toBe(422);
    expect((await patch({ status: "deleted" })).status).toBe(422);
    const ok = await (await patch({ method: "GET", signing_secret: null, url: "https://pub.example/v2?c={click_id}", events: ["conversion.reversed"] })).json();
    expect(ok).toMatchObject({ method: "GET", signed: false, url: "https://pub.example/v2?c={click_id}", events: ["conversion.reversed"] });
    const secretOnGet = await patch({ signing_secret: "0123456789abcdef!!" });
    expect(secretOnGet.status).toBe(422);
    expect((await secretOnGet.json()).error.fields).toHaveProperty("signing_secret");
    await api(t, "DELETE", `/api/admin/publishers/${pub.id}/postbacks/${ep.id}`);
  });

  test("OpenAPI documents the postback routes", async () => {
    const doc = await (await t.request("/api/openapi.json")).json();
    expect(doc.paths["/api/admin/publishers/{id}/postbacks"].post.requestBody.content["application/json"].schema.required).toEqual(["url"]);
    expect(doc.paths["/api/admin/publishers/{id}/postbacks/{pid}"].patch).toBeDefined();
    expect(doc.paths["/api/admin/publishers/{id}/postbacks/{pid}/attempts"].get).toBeDefined();
  });
});
