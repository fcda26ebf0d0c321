import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { clicks } from "../../src/db/schema";
import { makeTestApp, T0, type TestApp } from "../helpers/app";
import { api, click, network } from "../helpers/factories";

let t: TestApp;
let n: Awaited<ReturnType<typeof network>>;
beforeAll(async () => {
  t = await makeTestApp();
  n = await network(t, { dest_url: "https://shop.example/tents?color=green%20dark#reviews", pass_through_params: true });
});
afterAll(() => t.close());

async function storedClick(id: string) {
  await t.ctx.clicks.flush();
  const [row] = await t.ctx.db.select().from(clicks).where(eq(clicks.id, id));
  return row;
}

describe("GET /go/{slug}", () => {
  test("302 to the destination with the click id merged before the fragment, and the cookie", async () => {
    const { res, location, clickId } = await click(t, `${n.pathA}?sub1=email&sub3=x&ref=FRIEND10&utm_source=news&utm_campaign=spring`);
    expect(clickId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(location.startsWith("https://shop.example/tents?color=green%20dark&")).toBe(true);
    expect(location.endsWith(`&lc_click=${clickId}#reviews`)).toBe(true);
    expect(location).toContain("sub1=email"); // program passes sub-ids on
    expect(res.headers.get("set-cookie")).toBe(`lc_click=${clickId}; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax; Path=/`);
    expect(res.headers.get("cache-control")).toContain("no-store");
  });

  test("records the click with sub-ids, ref, UTM tags and no raw IP", async () => {
    const { clickId } = await click(t, `${n.pathA}?sub1=email&sub5=z&ref=FRIEND10&utm_source=news&utm_medium=mail&utm_campaign=spring&utm_term=tent&utm_content=hero`, { referer: "https://blog.example/post" });
    const row = (await storedClick(clickId))!;
    expect(row).toMatchObject({
      id: clickId, programId: n.program.id, publisherId: n.pubA.id, approvalId: n.linkA.id, createdAt: T0,
      sub1: "email", sub2: null, sub5: "z", refCode: "FRIEND10", utmSource: "news", utmMedium: "mail", utmCampaign: "spring",
      utmTerm: "tent", utmContent: "hero", referrer: "https://blog.example/post", isBot: false, via: "link",
    });
  });

  test("the visitor does not wait for the write: the click is buffered, then flushed", async () => {
    const { clickId } = await click(t, n.pathB);
    expect(t.ctx.clicks.get(clickId)).toBeDefined();
    await t.ctx.clicks.flush();
    expect(t.ctx.clicks.get(clickId)).toBeUndefined();
    expect(await storedClick(clickId)).toBeDefined();
  });

  test("bots and link previews are redirected but flagged", async () => {
    const { clickId } = await click(t, n.pathA, { "user-agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)" });
    const row = await storedClick(clickId);
    expect(row?.isBot).toBe(true);
    expect(row?.botReason).toBe("bot_user_agent");
    const head = await t.request(n.pathA, { method: "HEAD", headers: { "user-agent": "Mozilla/5.0" } });
    expect(head.status).toBe(302);
  });

  test("unknown slug: 404 page, no redirect, nothing stored", async () => {
    await t.ctx.clicks.flush();
    const before = (await t.ctx.db.select().from(clicks)).length;
    for (const path of ["/go/doesnotexist123", "/go/%3Cscript%3E", "/go/" + "a".repeat(100)]) {
      const res = await t.request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("location")).toBeNull();
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(await res.text()).toContain("Link not found");
    }
    await t.ctx.clicks.flush();
    expect((await t.ctx.db.select().from(clicks)).length).toBe(before);
  });

  test("paused program and suspended approval: 410 page, no redirect", async () => {
    await api(t, "PATCH", `/api/admin/approvals/${n.linkB.id}`, { status: "suspended" });
    let res = await t.request(n.pathB);
    expect(res.status).toBe(410);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("no longer active");
    await api(t, "PATCH", `/api/admin/approvals/${n.linkB.id}`, { status: "approved" });
    expect((await t.request(n.pathB)).status).toBe(302);

    await api(t, "PATCH", `/api/admin/programs/${n.program.id}`, { status: "paused" });
    res = await t.request(n.pathA);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("paused");
    await api(t, "PATCH", `/api/admin/programs/${n.program.id}`, { status: "active" });
    expect((await t.request(n.pathA)).status).toBe(302);
  });

  test("a suspended publisher's links answer 410", async () => {
    await api(t, "PATCH", `/api/admin/publishers/${n.pubB.id}`, { status: "suspended" });
    expect((await t.request(n.pathB)).status).toBe(410);
    await api(t, "PATCH", `/api/admin/publishers/${n.pubB.id}`, { status: "active" });
    expect((await t.request(n.pathB)).status).toBe(302);
  });

  test("the cookie follows the program's window", async () => {
    await api(t, "PATCH", `/api/admin/programs/${n.program.id}`, { cookie_window_days: 7 });
    const { res } = await click(t, n.pathA);
    expect(res.headers.get("set-cookie")).toContain("Max-Age=604800;");
    await api(t, "PATCH", `/api/admin/programs/${n.program.id}`, { cookie_window_days: 30 });
  });
});

describe("vendor links /api/v/{vendor}?s=", () => {
  test("logs the click and appends utm_content={submission} and standard UTM tags", async () => {
    const v = await api(t, "POST", "/api/admin/vendor-links", { approval_id: n.linkA.id, key: "acme-tents" });
    expect(v.url).toBe("https://track.test/api/v/acme-tents?s={submission}");
    const res = await t.request("/api/v/acme-tents?s=sub%20123", { headers: { "user-agent": "Mozilla/5.0" } });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get("location")!);
    expect(loc.searchParams.get("utm_content")).toBe("sub 123");
    expect(loc.searchParams.get("utm_source")).toBe("lastclick");
    expect(loc.searchParams.get("utm_medium")).toBe("affiliate");
    expect(loc.searchParams.get("utm_campaign")).toBe("acme-tents");
    const row = await storedClick(loc.searchParams.get("lc_click")!);
    expect(row).toMatchObject({ via: "vendor", utmContent: "sub 123", publisherId: n.pubA.id });
  });
  test("unknown vendor: 404, no redirect", async () => {
    const res = await t.request("/api/v/nope?s=1");
    expect(res.status).toBe(404);
    expect(res.headers.get("location")).toBeNull();
  });
  test("duplicate vendor key: 409", async () => {
    const res = await t.request("/api/admin/vendor-links", { method: "POST", token: t.adminToken, json: { approval_id: n.linkA.id, key: "acme-tents" } });
    expect(res.status).toBe(409);
  });
});
