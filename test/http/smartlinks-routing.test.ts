import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { clicks, conversions } from "../../src/db/schema";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, approve, postback } from "../helpers/factories";
import { DESKTOP, market, PHONE, putRubric, score, smartLink } from "../helpers/smartlinks";

let t: TestApp;
let m: Awaited<ReturnType<typeof market>>;
let tents: { code: string; id: string };
beforeAll(async () => {
  t = await makeTestApp({ COUNTRY_HEADER: "cf-ipcountry" });
  m = await market(t);
  tents = await smartLink(t, { criteria: { category: "tents" }, code: "tents" });
});
afterAll(() => t.close());

async function go(path: string, headers: Record<string, string> = {}) {
  return t.request(path, { headers: { "user-agent": DESKTOP, ...headers } });
}
async function stored(id: string) {
  await t.ctx.clicks.flush();
  const [row] = await t.ctx.db.select().from(clicks).where(eq(clicks.id, id));
  return row!;
}
const clickIdOf = (res: Response) => new URL(res.headers.get("location")!).searchParams.get("lc_click")!;
const hostOf = (res: Response) => new URL(res.headers.get("location")!).host;
async function clickCount() {
  await t.ctx.clicks.flush();
  return Number((await t.ctx.client.execute("SELECT count(*) FROM clicks")).rows[0]![0]);
}

describe("GET /go/m/{code}: routing by fit, then score, never payout", () => {
  test("a desktop visitor from an unknown country goes to the top score (Alpine 90.00), decision stored with the click", async () => {
    const res = await go("/go/m/tents?sub1=top10");
    expect(res.status).toBe(302);
    expect(hostOf(res)).toBe("alpinetents.example");
    const id = clickIdOf(res);
    expect(res.headers.get("set-cookie")).toBe(`lc_click=${id}; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax; Path=/`);
    const row = await stored(id);
    expect(row).toMatchObject({
      programId: m.a.id, publisherId: "", approvalId: "", via: "smart", sub1: "top10", smartLinkId: tents.id, rubricVersion: 1, routeScore: 9000, isBot: false,
    });
    expect(JSON.parse(row.routeCriteria!)).toEqual({ criteria: { category: ["tents"] }, country: null, device: "desktop", fit: 1, rank: 1 });
  });

  test("a visitor from Germany goes to the program that names Germany (fit beats score); the country is stored", async () => {
    const res = await go("/go/m/tents", { "cf-ipcountry": "DE" });
    expect(hostOf(res)).toBe("berlincamping.example");
    const row = await stored(clickIdOf(res));
    expect(row).toMatchObject({ programId: m.b.id, country: "DE", routeScore: 7500 });
    expect(JSON.parse(row.routeCriteria!)).toMatchObject({ country: "DE", fit: 2 });
  });

  test("the ranking is precomputed per link and kind of visitor, not per click", async () => {
    await go("/go/m/tents");
    const entry = t.ctx.smart.peek("tents", t.clock.now());
    expect(entry).toBeTruthy();
    const visitor = { country: "DE", device: "mobile" as const };
    expect(entry!.choose(visitor)).toBe(entry!.choose(visitor)); // the same list object: ranked once
    await api(t, "PATCH", `/api/admin/programs/${m.f.id}`, { name: "Fell Boots & Co" }); // any program write drops it
    expect(t.ctx.smart.peek("tents", t.clock.now())).toBeUndefined();
  });

  test("a phone goes to the mobile-only program; a French visitor never to the DE/AT-only one", async () => {
    expect(hostOf(await go("/go/m/tents", { "user-agent": PHONE }))).toBe("pockettents.example");
    expect(hostOf(await go("/go/m/tents", { "cf-ipcountry": "FR" }))).toBe("alpinetents.example");
  });

  test("a higher commission does not move a program up (Borderline pays 90%, Berlin 50%: neither outranks Alpine)", async () => {
    await api(t, "PATCH", `/api/admin/programs/${m.d.id}`, { commission_value: "99" });
    expect(hostOf(await go("/go/m/tents"))).toBe("alpinetents.example");
  });

  test("the threshold edge over HTTP: 69.80 is eligible at a 69.80 threshold, not at 69.81", async () => {
    // Swedish tents: Berlin (DE/AT only) and Pocket (mobile only) cannot take a desktop visitor; Alpine and Borderline can.
    await smartLink(t, { criteria: { category: "tents", countries: "SE" }, code: "se-tents" });
    await score(t, m.a.id, 0.7, 0.7, 0.69); // Alpine drops to 69.80, level with Borderline
    expect((await go("/go/m/se-tents")).status).toBe(404); // 69.80 < 70
    await putRubric(t, { threshold: "69.80" });
    // a tie on fit and score: the program created first (Alpine) wins
    expect(hostOf(await go("/go/m/se-tents"))).toBe("alpinetents.example");
    await putRubric(t, { threshold: "69.81" });
    const res = await go("/go/m/se-tents");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("No match right now");
    await score(t, m.a.id, 1, 0.8, 0.8); // back to 90.00
    await putRubric(t, { threshold: 70 });
    expect(hostOf(await go("/go/m/se-tents"))).toBe("alpinetents.example");
  });

  test("pausing the chosen program reroutes at once; pausing all leaves a clear page, no click, no fallback", async () => {
    await api(t, "PATCH", `/api/admin/programs/${m.a.id}`, { status: "paused" });
    expect(hostOf(await go("/go/m/tents"))).toBe("berlincamping.example");
    await api(t, "PATCH", `/api/admin/programs/${m.b.id}`, { status: "paused" });
    const before = await clickCount();
    const res = await go("/go/m/tents");
    expect(res.status).toBe(404);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("No match right now");
    expect(await clickCount()).toBe(before);
    // C still serves phones
    expect(hostOf(await go("/go/m/tents", { "user-agent": PHONE }))).toBe("pockettents.example");
    await api(t, "PATCH", `/api/admin/programs/${m.a.id}`, { status: "active" });
    await api(t, "PATCH", `/api/admin/programs/${m.b.id}`, { status: "active" });
    expect(hostOf(await go("/go/m/tents"))).toBe("alpinetents.example");
  });

  test("unknown or malformed code: 404 page, nothing recorded", async () => {
    const before = await clickCount();
    for (const path of ["/go/m/nope", "/go/m/%3Cscript%3E", "/go/m/ab"]) {
      const res = await go(path);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("Link not found");
    }
    expect(await clickCount()).toBe(before);
  });

  test("?to= picks an eligible program (the match page's links); an ineligible pick is refused, nothing recorded", async () => {
    const res = await go(`/go/m/tents?to=${m.b.id}`, { "cf-ipcountry": "AT" });
    expect(hostOf(res)).toBe("berlincamping.example");
    expect((await stored(clickIdOf(res))).programId).toBe(m.b.id);
    const before = await clickCount();
    for (const bad of [m.d.id, m.e.id, m.f.id, "nope"]) {
      const r = await go(`/go/m/tents?to=${bad}`);
      expect(r.status).toBe(404);
      expect(await r.text()).toContain("not available from this link");
    }
    // Berlin only ships to DE/AT: not a pick for a French visitor
    expect((await go(`/go/m/tents?to=${m.b.id}`, { "cf-ipcountry": "FR" })).status).toBe(404);
    expect(await clickCount()).toBe(before);
  });
});

describe("crediting and the flat commission", () => {
  test("a publisher's smart link routes only among its approved programs and credits it; the conversion earns the flat 5.00", async () => {
    await approve(t, m.b.id, m.pub.id);
    const link = await smartLink(t, { criteria: { category: "tents" }, publisher_id: m.pub.id });
    const res = await go(`/go/m/${link.code}`);
    expect(hostOf(res)).toBe("berlincamping.example"); // Alpine scores higher but the publisher is not approved for it
    const id = clickIdOf(res);
    const row = await stored(id);
    expect(row.publisherId).toBe(m.pub.id);
    expect(row.approvalId).not.toBe("");
    const pb = await postback(t, m.brand.liveKey, { program_id: m.b.id, brand_order_ref: "SMART-1", order_value: "200.00", order_currency: "USD", lc_click: id });
    const conv = (await pb.json()).conversion;
    // Berlin's own terms are 50% of 200 = 100.00; on the smart link it earns the rubric's flat 5.00
    expect(conv).toMatchObject({ publisher_id: m.pub.id, attribution: "credited", commission_minor: 500, network_fee_minor: 100, publisher_payout_minor: 400 });
  });

  test("the same program through its ordinary tracking link keeps its own commission", async () => {
    const approval = await api(t, "GET", `/api/admin/approvals?program_id=${m.b.id}&publisher_id=${m.pub.id}`);
    const res = await go(`/go/${approval.data[0].slug}`);
    const pb = await postback(t, m.brand.liveKey, { program_id: m.b.id, brand_order_ref: "PLAIN-1", order_value: "200.00", order_currency: "USD", lc_click: clickIdOf(res) });
    expect((await pb.json()).conversion).toMatchObject({ attribution: "credited", commission_minor: 10000 });
  });

  test("a smart link without a publisher credits no one: unattributed (no_publisher), flat commission, payout 0", async () => {
    const res = await go("/go/m/tents");
    const pb = await postback(t, m.brand.liveKey, { program_id: m.a.id, brand_order_ref: "SMART-2", order_value: "80.00", order_currency: "USD", lc_click: clickIdOf(res) });
    expect((await pb.json()).conversion).toMatchObject({ publisher_id: null, attribution: "no_publisher", commission_minor: 500, network_fee_minor: 100, publisher_payout_minor: 0 });
  });

  test("the flat commission of the rubric version the visitor clicked under applies; another currency needs a rate", async () => {
    const clickedUnderUsd = clickIdOf(await go("/go/m/tents"));
    await putRubric(t, { flat_commission: { amount: "4.00", currency: "EUR" } });
    const clickedUnderEur = clickIdOf(await go("/go/m/tents"));
    const send = (ref: string, click: string) => postback(t, m.brand.liveKey, { program_id: m.a.id, brand_order_ref: ref, order_value: "10.00", order_currency: "USD", lc_click: click });
    expect((await (await send("V-USD", clickedUnderUsd)).json()).conversion.commission_minor).toBe(500);
    const noRate = await send("V-EUR", clickedUnderEur);
    expect(noRate.status).toBe(422);
    expect(JSON.stringify(await noRate.json())).toContain("no exchange rate EUR->USD");
    const [none] = await t.ctx.db.select().from(conversions).where(eq(conversions.brandOrderRef, "V-EUR"));
    expect(none).toBeUndefined();
    await api(t, "PUT", "/api/admin/fx-rates", { base: "EUR", quote: "USD", rate: "1.10" });
    expect((await (await send("V-EUR", clickedUnderEur)).json()).conversion.commission_minor).toBe(440);
    await putRubric(t);
  });
});
