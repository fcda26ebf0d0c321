// /healthz, /readyz, /metrics and the request / error log lines, through the real app.
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { click, network, postback } from "../helpers/factories";
import { MIGRATIONS } from "../../src/db/migrations.gen";
import { configureLog, flushLog } from "../../src/ops/log";
import { metrics, sseConnections } from "../../src/ops/metrics";

let t: TestApp;
let net: Awaited<ReturnType<typeof network>>;
const out: string[] = [];
const err: string[] = [];

beforeAll(async () => {
  t = await makeTestApp();
  net = await network(t);
});
afterAll(async () => { configureLog({ format: "text", requests: false }); await t.close(); });
afterEach(() => { out.length = 0; err.length = 0; configureLog({ format: "text", requests: false }); });

/** Lines written so far, split (request lines are written in chunks). */
async function lines(sink: string[]): Promise<string[]> {
  flushLog();
  return sink.flatMap((s) => s.split("\n")).filter(Boolean);
}

/** The value of one exposition line, e.g. `lastclick_x{a="b"}`; 0 when absent. */
async function metric(series: string): Promise<number> {
  const text = await (await t.request("/metrics")).text();
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

test("/readyz answers 200 with the migration the binary expects", async () => {
  const res = await t.request("/readyz");
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true, migration: MIGRATIONS[MIGRATIONS.length - 1]!.tag });
});

test("/readyz answers 503 when the last migration is missing, and when the database is newer than the binary", async () => {
  const last = MIGRATIONS[MIGRATIONS.length - 1]!;
  await t.ctx.client.execute({ sql: `DELETE FROM __drizzle_migrations WHERE created_at = ?`, args: [last.when] });
  try {
    const behind = await t.request("/readyz");
    expect(behind.status).toBe(503);
    expect(((await behind.json()) as { reason: string }).reason).toContain(`migrations not applied`);
  } finally {
    await t.ctx.client.execute({ sql: `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('x', ?)`, args: [last.when] });
  }
  await t.ctx.client.execute({ sql: `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', ?)`, args: [last.when + 1000] });
  try {
    const ahead = await t.request("/readyz");
    expect(ahead.status).toBe(503);
    expect(((await ahead.json()) as { reason: string }).reason).toContain("newer than this binary");
  } finally {
    await t.ctx.client.execute(`DELETE FROM __drizzle_migrations WHERE hash = 'future'`);
  }
  expect((await t.request("/readyz")).status).toBe(200);
});

test("/metrics counts /go by route pattern (never the slug), postbacks by verdict, clicks, and the SSE gauge", async () => {
  const go404 = `lastclick_http_requests_total{method="GET",route="/go/:slug",status="404"}`;
  const go302 = `lastclick_http_requests_total{method="GET",route="/go/:slug",status="302"}`;
  const accepted = `lastclick_postbacks_total{provider="postback",verdict="accepted"}`;
  const duplicate = `lastclick_postbacks_total{provider="postback",verdict="duplicate"}`;
  const [b404, b302, bAcc, bDup, bClicks] = [await metric(go404), await metric(go302), await metric(accepted), await metric(duplicate), await metric("lastclick_clicks_accepted_total")];

  expect((await t.request("/go/no-such-slug")).status).toBe(404);
  const { clickId } = await click(t, net.pathA);
  const body = { program_id: net.program.id, brand_order_ref: "M-1", order_value: "10.00", order_currency: "USD", lc_click: clickId };
  expect((await postback(t, net.brand.liveKey, body)).status).toBe(200);
  expect((await postback(t, net.brand.liveKey, body)).status).toBe(200);
  await t.ctx.clicks.flush();

  expect(await metric(go404)).toBe(b404 + 1);
  expect(await metric(go302)).toBe(b302 + 1);
  expect(await metric(accepted)).toBe(bAcc + 1);
  expect(await metric(duplicate)).toBe(bDup + 1);
  expect(await metric("lastclick_clicks_accepted_total")).toBe(bClicks + 1);
  expect(await metric("lastclick_clicks_written_total")).toBeGreaterThanOrEqual(bClicks + 1);
  expect(await metric(`lastclick_outbox_depth{status="pending"}`)).toBe(0);
  expect(await metric(`lastclick_http_request_duration_seconds_count{method="POST",route="/api/conv"}`)).toBeGreaterThanOrEqual(2);

  const text = await (await t.request("/metrics")).text();
  expect(text).toContain("# TYPE lastclick_http_request_duration_seconds histogram");
  expect(text).toContain(`lastclick_http_request_duration_seconds_bucket{method="GET",route="/go/:slug",le="+Inf"}`);
  expect(text).not.toContain("no-such-slug");
  expect(text).not.toContain(net.linkA.slug);

  const before = await metric("lastclick_sse_connections");
  sseConnections.inc();
  expect(await metric("lastclick_sse_connections")).toBe(before + 1);
  sseConnections.dec();
  expect(await metric("lastclick_sse_connections")).toBe(before);
});

test("a provider name from the URL that is not a platform is counted as \"other\", not as a new label", async () => {
  const res = await t.request("/api/affiliate/webhook?provider=zz-made-up", { method: "POST", json: {} });
  expect(res.status).toBeGreaterThanOrEqual(400);
  const text = await metrics.expose();
  expect(text).not.toContain("zz-made-up");
  expect(text).toMatch(/lastclick_postbacks_total\{provider="other",verdict="rejected"\} \d+/);
});

test("labels stay bounded: an unknown path is \"unmatched\", a made-up method never becomes a label", async () => {
  expect((await t.request("/no/such/page/abc123")).status).toBe(404);
  expect((await t.request("/api/conv", { method: "BREW" })).status).toBeGreaterThanOrEqual(400);
  const text = await metrics.expose();
  expect(text).not.toContain("abc123");
  expect(text).not.toContain("BREW");
  expect(text).toMatch(/lastclick_http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/);
});

test("/metrics with METRICS_TOKEN refuses a scrape without the token", async () => {
  const guarded = await makeTestApp({ METRICS_TOKEN: "scrape-token-0123456789" });
  try {
    expect((await guarded.request("/metrics")).status).toBe(401);
    expect((await guarded.request("/metrics", { token: "wrong-token-0123456789x" })).status).toBe(401);
    const ok = await guarded.request("/metrics", { token: "scrape-token-0123456789" });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("lastclick_http_requests_total");
  } finally {
    await guarded.close();
  }
});

test("LOG_FORMAT=json: one JSON line per request, with the route pattern and the path without its query", async () => {
  configureLog({ format: "json", requests: true, out: (l) => out.push(l), err: (l) => err.push(l) });
  await t.request(`${net.pathA}?sub1=x&token=secret-in-query`, { headers: { "user-agent": "Mozilla/5.0 Chrome/130" } });
  await t.request("/api/conv", { method: "POST", token: "lc_live_wrong", json: {} });
  const logged = (await lines(out)).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(logged).toHaveLength(2);
  expect(logged[0]).toMatchObject({ level: "info", msg: "request", method: "GET", route: "/go/:slug", path: net.pathA, status: 302 });
  expect(logged[1]).toMatchObject({ method: "POST", route: "/api/conv", status: 401 });
  expect(typeof logged[0]!.ms).toBe("number");
  expect(JSON.stringify(logged)).not.toContain("secret-in-query");
});

test("an unexpected error is one log line with an id, and the 500 answer carries the same id", async () => {
  const broken = await makeTestApp();
  configureLog({ format: "json", requests: true, out: (l) => out.push(l), err: (l) => err.push(l) });
  try {
    broken.ctx.client.close(); // the database goes away under a running app
    const res = await broken.request("/api/admin/brands", { token: broken.adminToken });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; id: string; message: string } };
    expect(body.error.code).toBe("internal");
    expect(body.error.id).toMatch(/^[0-9a-f]{12}$/);
    const errors = await lines(err);
    expect(errors).toHaveLength(1);
    const line = JSON.parse(errors[0]!) as Record<string, string>;
    expect(line).toMatchObject({ level: "error", id: body.error.id, path: "/api/admin/brands" });
    expect(line.error!.length).toBeLessThan(1100);
    expect((await lines(out)).map((l) => JSON.parse(l).status)).toEqual([500]);
    // Alive but not ready: the process is up, the database is not.
    expect((await broken.request("/healthz")).status).toBe(200);
    const ready = await broken.request("/readyz");
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reason: string }).reason).toStartWith("database unreachable");
  } finally {
    await broken.close().catch(() => {});
  }
});
