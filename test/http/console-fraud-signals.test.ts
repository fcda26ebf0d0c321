import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../helpers/app";
import { login, makeUser } from "../helpers/console";
import { network, postback } from "../helpers/factories";

// Fraud signals in the review queue, computed in the domain from real clicks and conversions.
let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
let cookie = "";
const UA = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130";

async function clickFrom(path: string, peer: string, ua = UA) {
  const res = await t.request(path, { headers: { "user-agent": ua }, peer });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!).searchParams.get("lc_click")!;
}
async function sale(ref: string, clickId: string | null, value = "100") {
  const res = await postback(t, n.brand.liveKey, { program_id: n.program.id, brand_order_ref: ref, order_value: value, order_currency: "USD", lc_click: clickId });
  expect(res.status).toBeLessThan(300);
}
/** The signal badges of one order's row in the queue. */
async function signalsOf(ref: string): Promise<string> {
  const html = await (await t.request(`/admin/conversions?q=${encodeURIComponent(ref)}`, { headers: { cookie } })).text();
  const row = html.slice(html.indexOf(`<code class="ref">${ref}</code>`));
  return row.slice(0, row.indexOf("</tr>"));
}

beforeAll(async () => {
  t = await makeTestApp();
  n = await network(t);
  // 20 ordinary sales of 100, each from its own IP, an hour after the click.
  for (let i = 0; i < 20; i++) {
    const c = await clickFrom(n.pathA, `198.51.100.${i + 1}`);
    t.clock.advance(3_600_000);
    await sale(`NORMAL-${i}`, c);
  }
  // Three sales from one IP on one day.
  for (let i = 0; i < 3; i++) {
    const c = await clickFrom(n.pathB, "203.0.113.7");
    t.clock.advance(600_000);
    await sale(`SAMEIP-${i}`, c);
  }
  // A sale two seconds after its click, a huge order, a sale naming a bot click.
  const fast = await clickFrom(n.pathA, "192.0.2.50");
  t.clock.advance(2_000);
  await sale("FAST-1", fast);
  const big = await clickFrom(n.pathA, "192.0.2.51");
  t.clock.advance(3_600_000);
  await sale("BIG-1", big, "5000");
  const bot = await clickFrom(n.pathA, "192.0.2.52", "curl/8.5.0");
  t.clock.advance(3_600_000);
  await sale("BOT-1", bot);
  await makeUser(t, "admin@net.example", "admin");
  cookie = (await login(t, "admin@net.example")).cookie;
}, 60_000);
afterAll(() => t.close());

test("an ordinary sale shows no signal", async () => {
  expect(await signalsOf("NORMAL-3")).toContain('aria-label="No signals"');
});

test("click-to-conversion seconds: 2 s is flagged, with the explanation", async () => {
  const row = await signalsOf("FAST-1");
  expect(row).toContain("signal-fast_conversion");
  expect(row).toContain("Only 2 seconds from click to conversion");
});

test("same IP hash on three conversions the same day", async () => {
  const row = await signalsOf("SAMEIP-2");
  expect(row).toContain("signal-same_ip");
  expect(row).toContain("Same IP ×3");
});

test("order value far above the program's recent median and p95", async () => {
  const row = await signalsOf("BIG-1");
  expect(row).toContain("signal-value_outlier");
  expect(row).not.toContain("signal-same_ip");
});

test("a conversion naming a bot click (never credited) is flagged with the reason", async () => {
  const row = await signalsOf("BOT-1");
  expect(row).toContain("signal-bot_click");
  expect(row).toContain("a known bot or preview user agent");
});
