import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { apiRoutes } from "../../src/app";
import { consoleRoutes } from "../../src/console/routes";
import { approvals, brandApiKeys, conversions, inbox, integrations, invoices, payouts, publisherPostbacks } from "../../src/db/schema";
import { makeTestApp, type TestApp } from "../helpers/app";
import { csrfOf, FORM, form, login, makeUser } from "../helpers/console";
import { api, click, postback } from "../helpers/factories";
import { NOV_1, OCT_10, octoberNetwork } from "../helpers/settlement";

// The scope matrix (issue 7): every console route and every API route, asked by every kind of
// caller. Expectations come from each route's declared `access` (console) or `auth` (API), so a
// new route is covered without touching this file, except that a route with path ids must say
// here whose ids to put in (ID_FOR), or the matrix fails naming it.
//
// Parties: brand A (Acme Outdoor, program Tents, publishers Ålpha and No Method), brand B
// (Other Shop, program Mugs, publisher Beta). Publisher A = Ålpha, publisher B = Beta.
let t: TestApp;
let net: Awaited<ReturnType<typeof octoberNetwork>>;
type Who = "admin" | "brandA" | "brandB" | "pubA" | "pubB";
const s = {} as Record<Who, { cookie: string; csrf: string }>;
const ids: Record<string, string> = {};

const ROLE_OF: Record<Who, "admin" | "brand" | "publisher"> = { admin: "admin", brandA: "brand", brandB: "brand", pubA: "publisher", pubB: "publisher" };
const OTHER: Record<"brandA" | "brandB" | "pubA" | "pubB", "brandA" | "brandB" | "pubA" | "pubB"> = { brandA: "brandB", brandB: "brandA", pubA: "pubB", pubB: "pubA" };
const NOPE = "00000000-0000-0000-0000-000000000000";

/** Strings that identify a party; the key is who may NOT see them. */
const FORBIDDEN: Record<Exclude<Who, "admin">, string[]> = {
  brandA: ["B-3001", "Other Shop", "Mugs", "beta@pub.example", "Beta Reviews", "BETASUB-77"],
  brandB: ["A-1001", "A-1002", "N-2001", "Acme Outdoor", "lpha Blog", "alpha@pub.example", "No Method Media", "none@pub.example", "ALPHASUB-55"],
  pubA: ["N-2001", "B-3001", "Beta Reviews", "beta@pub.example", "No Method Media", "none@pub.example", "BETASUB-77"],
  pubB: ["A-1001", "A-1002", "N-2001", "lpha Blog", "alpha@pub.example", "No Method Media", "none@pub.example", "ALPHASUB-55"],
};

/** Strings each party does see on its own pages (so the matrix is looking at real pages). */
const OWN: Record<Exclude<Who, "admin">, string[]> = {
  brandA: ["A-1001", "N-2001", "Tents"], brandB: ["B-3001", "Mugs"],
  pubA: ["A-1001", "ALPHASUB-55"], pubB: ["B-3001", "BETASUB-77"],
};

/**
 * Path ids per route with ids. For a brand/publisher route: the ids of the party `p`
 * (the caller's own, or the other party's). For an admin route: any real row.
 */
type Party = "brandA" | "brandB" | "pubA" | "pubB";
const ID_FOR: Record<string, (p: Party) => Record<string, string>> = {
  "GET /invite/{token}": () => ({ token: "not-a-real-invite-token" }),
  "POST /invite/{token}": () => ({ token: "not-a-real-invite-token" }),
  "POST /admin/users/{id}/delete": () => ({ id: ids.userBrandB! }),
  "POST /admin/users/{id}/status": () => ({ id: ids.userBrandB! }),
  "GET /admin/conversions/{id}": () => ({ id: ids.convB! }),
  "POST /admin/conversions/{id}/approve": () => ({ id: ids.convB! }),
  "POST /admin/conversions/{id}/reverse": () => ({ id: ids.convB! }),
  "POST /dashboard/brand/conversions/{id}/reverse": (p) => ({ id: p === "brandA" ? ids.convA! : ids.convB! }),
  "GET /admin/brands/{id}": () => ({ id: net.other.id }),
  "POST /admin/brands/{id}": () => ({ id: net.other.id }),
  "GET /admin/publishers/{id}": () => ({ id: net.beta.id }),
  "POST /admin/publishers/{id}": () => ({ id: net.beta.id }),
  "POST /admin/publishers/{id}/approve": () => ({ id: net.beta.id }),
  "GET /admin/programs/{id}": () => ({ id: net.mugs.id }),
  "POST /admin/programs/{id}": () => ({ id: net.mugs.id }),
  "POST /admin/programs/{id}/status": () => ({ id: net.mugs.id }),
  "POST /admin/approvals/{id}/status": () => ({ id: ids.approvalB! }),
  // The marketplace: a publisher may apply to any brand's open program; "other" is B's program.
  "POST /dashboard/publisher/programs/{id}/apply": (p) => ({ id: p === "pubA" ? net.tents.id : net.mugs.id }),
  "GET /dashboard/brand/programs/{id}": (p) => ({ id: p === "brandA" ? net.tents.id : net.mugs.id }),
  "POST /admin/integrations/{id}/mode": () => ({ id: ids.integrationB! }),
  "GET /dashboard/brand/integrations/{id}": (p) => ({ id: p === "brandA" ? net.integrationId : ids.integrationB! }),
  "GET /admin/inbox/{id}": () => ({ id: ids.inbox! }),
  "POST /admin/inbox/{id}/replay": () => ({ id: ids.inbox! }),
  "GET /admin/brands/{id}/keys": () => ({ id: net.other.id }),
  "POST /admin/brands/{id}/keys": () => ({ id: net.other.id }),
  "POST /admin/brands/{id}/keys/{kid}/revoke": () => ({ id: net.other.id, kid: ids.keyB! }),
  "POST /dashboard/brand/keys/{kid}/revoke": (p) => ({ kid: p === "brandA" ? ids.keyA! : ids.keyB! }),
  "POST /admin/tokens/{id}/revoke": () => ({ id: NOPE }),
  "GET /admin/postbacks/{id}": () => ({ id: ids.postbackB! }),
  "POST /admin/postbacks/{id}/status": () => ({ id: ids.postbackB! }),
  "GET /dashboard/publisher/postbacks/{id}": (p) => ({ id: p === "pubA" ? ids.postbackA! : ids.postbackB! }),
  "POST /dashboard/publisher/postbacks/{id}/status": (p) => ({ id: p === "pubA" ? ids.postbackA! : ids.postbackB! }),
  "POST /admin/scores/{id}": () => ({ id: net.mugs.id }),
  "GET /admin/payouts/{id}": () => ({ id: ids.payoutB! }),
  "GET /admin/payouts/{id}/statement.pdf": () => ({ id: ids.payoutB! }),
  "POST /admin/payouts/{id}/mark-paid": () => ({ id: ids.payoutB! }),
  "POST /admin/payouts/{id}/mark-failed": () => ({ id: ids.payoutB! }),
  "GET /admin/invoices/{id}": () => ({ id: ids.invoiceB! }),
  "GET /admin/invoices/{id}/pdf": () => ({ id: ids.invoiceB! }),
  "POST /admin/invoices/{id}/mark-paid": () => ({ id: ids.invoiceB! }),
  "POST /admin/invoices/{id}/void": () => ({ id: ids.invoiceB! }),
  "GET /dashboard/brand/invoices/{id}/pdf": (p) => ({ id: p === "brandA" ? ids.invoiceA! : ids.invoiceB! }),
  "GET /admin/reconciliation/{id}": () => ({ id: NOPE }),
  "POST /admin/reconciliation/{id}/import": () => ({ id: NOPE }),
  "GET /dashboard/publisher/payouts/{id}": (p) => ({ id: p === "pubA" ? ids.payoutA! : ids.payoutB! }),
  "GET /dashboard/publisher/payouts/{id}/statement.pdf": (p) => ({ id: p === "pubA" ? ids.payoutA! : ids.payoutB! }),
  // API
  "GET /api/conversions/{id}": (p) => ({ id: p === "brandA" ? ids.convA! : ids.convB! }),
  "POST /api/conversions/{id}/reverse": (p) => ({ id: p === "brandA" ? ids.convA! : ids.convB! }),
  "GET /api/invoices/{id}/pdf": (p) => ({ id: p === "brandA" ? ids.invoiceA! : ids.invoiceB! }),
  "GET /api/admin/brands/{id}": () => ({ id: net.other.id }),
  "POST /api/admin/brands/{id}/api-keys": () => ({ id: net.other.id }),
  "GET /api/admin/brands/{id}/api-keys": () => ({ id: net.other.id }),
  "DELETE /api/admin/brands/{id}/api-keys/{key_id}": () => ({ id: net.other.id, key_id: ids.keyB! }),
  "GET /api/admin/programs/{id}": () => ({ id: net.mugs.id }),
  "PATCH /api/admin/programs/{id}": () => ({ id: net.mugs.id }),
  "GET /api/admin/publishers/{id}": () => ({ id: net.beta.id }),
  "PATCH /api/admin/publishers/{id}": () => ({ id: net.beta.id }),
  "PATCH /api/admin/approvals/{id}": () => ({ id: ids.approvalB! }),
  "GET /api/admin/conversions/{id}": () => ({ id: ids.convB! }),
  "POST /api/admin/conversions/{id}/approve": () => ({ id: ids.convB! }),
  "POST /api/admin/conversions/{id}/reverse": () => ({ id: ids.convB! }),
  "PATCH /api/admin/users/{id}": () => ({ id: ids.userBrandB! }),
  "DELETE /api/admin/users/{id}": () => ({ id: ids.userBrandB! }),
  "GET /api/admin/referrers/{id}/ledger": () => ({ id: NOPE }),
  "GET /api/admin/integrations/{id}": () => ({ id: ids.integrationB! }),
  "PATCH /api/admin/integrations/{id}": () => ({ id: ids.integrationB! }),
  "GET /api/admin/inbox/{id}": () => ({ id: ids.inbox! }),
  "POST /api/admin/inbox/{id}/replay": () => ({ id: ids.inbox! }),
  "POST /api/admin/publishers/{id}/postbacks": () => ({ id: net.beta.id }),
  "GET /api/admin/publishers/{id}/postbacks": () => ({ id: net.beta.id }),
  "PATCH /api/admin/publishers/{id}/postbacks/{pid}": () => ({ id: net.beta.id, pid: ids.postbackB! }),
  "DELETE /api/admin/publishers/{id}/postbacks/{pid}": () => ({ id: net.beta.id, pid: ids.postbackB! }),
  "GET /api/admin/publishers/{id}/postbacks/{pid}/attempts": () => ({ id: net.beta.id, pid: ids.postbackB! }),
  "DELETE /api/admin/tokens/{id}": () => ({ id: NOPE }),
  "PUT /api/admin/programs/{id}/scores": () => ({ id: net.mugs.id }),
  "GET /api/admin/programs/{id}/scores": () => ({ id: net.mugs.id }),
  "GET /api/admin/payouts/{id}": () => ({ id: ids.payoutB! }),
  "GET /api/admin/payouts/{id}/statement.pdf": () => ({ id: ids.payoutB! }),
  "POST /api/admin/payouts/{id}/mark-paid": () => ({ id: ids.payoutB! }),
  "POST /api/admin/payouts/{id}/mark-failed": () => ({ id: ids.payoutB! }),
  "GET /api/admin/invoices/{id}": () => ({ id: ids.invoiceB! }),
  "GET /api/admin/invoices/{id}/pdf": () => ({ id: ids.invoiceB! }),
  "POST /api/admin/invoices/{id}/mark-paid": () => ({ id: ids.invoiceB! }),
  "POST /api/admin/invoices/{id}/void": () => ({ id: ids.invoiceB! }),
  "PUT /api/admin/brands/{id}/billing": () => ({ id: net.other.id }),
  "PUT /api/admin/publishers/{id}/payout-threshold": () => ({ id: net.beta.id }),
};
/** Admin GETs whose id is deliberately not a real row (no such fixture is cheap to make): 404 expected. */
const ADMIN_GET_NOT_FOUND = new Set(["GET /admin/reconciliation/{id}", "GET /api/admin/referrers/{id}/ledger"]);
/** Admin GETs that need a query to be meaningful. */
const QUERY: Record<string, string> = {
  "GET /admin/programs/preview-url": "?dest_url=https%3A%2F%2Fshop.example%2Fx",
  "GET /admin/payouts/export": "?period=2026-10&method=paypal&currency=USD",
  "GET /api/admin/payouts/export": "?period=2026-10&method=paypal&currency=USD",
};

/** Query parameters naming the other party's rows, as a curious user would try them. */
function widening(who: Party): Record<string, string> {
  const b = who.startsWith("brand") ? (who === "brandA" ? net.other.id : net.acme.id) : net.other.id;
  const p = who === "pubA" ? net.beta.id : who === "pubB" ? net.alpha.id : net.beta.id;
  const prog = who === "brandB" ? net.tents.id : net.mugs.id;
  return { brand_id: b, brand: b, publisher_id: p, publisher: p, program_id: prog, program: prog, status: "approved" };
}

const keyOf = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;
function fill(r: { method: string; path: string }, p: Party): string {
  if (!r.path.includes("{")) return r.path + (QUERY[keyOf(r)] ?? "");
  const make = ID_FOR[keyOf(r)];
  if (!make) throw new Error(`scope matrix: route ${keyOf(r)} has path ids but no entry in ID_FOR; classify it`);
  const values = make(p);
  return r.path.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = values[k];
    if (!v) throw new Error(`scope matrix: no value for {${k}} in ${keyOf(r)}`);
    return encodeURIComponent(v);
  });
}

async function bodyOf(res: Response): Promise<string> {
  if ((res.headers.get("content-type") ?? "").startsWith("text/event-stream")) { await res.body?.cancel(); return ""; }
  return Buffer.from(await res.arrayBuffer()).toString("latin1");
}
function assertNoLeak(who: Exclude<Who, "admin">, where: string, body: string) {
  for (const secret of FORBIDDEN[who]) {
    if (body.includes(secret)) throw new Error(`LEAK: ${who} was served "${secret}" by ${where}`);
  }
  // Nobody but the network sees a publisher's cut from the other side: no fee on a publisher's page.
  if (who.startsWith("pub") && /network.fee|network_fee/i.test(body)) throw new Error(`LEAK: ${who} was shown a network fee by ${where}`);
}

const page = (who: Who | null, method: string, path: string, csrf = true, fields: Record<string, string> = {}) =>
  t.request(path, method === "GET"
    ? { headers: who ? { cookie: s[who].cookie } : {} }
    : { method, headers: { ...FORM, ...(who ? { cookie: s[who].cookie } : {}) }, body: form(who && csrf ? { _csrf: s[who].csrf, ...fields } : fields) });

/** Every row of the other party's that a POST could change. */
async function victimRows(p: Party) {
  const brandId = p === "brandA" ? net.acme.id : p === "brandB" ? net.other.id : null;
  const publisherId = p === "pubA" ? net.alpha.id : p === "pubB" ? net.beta.id : null;
  const db = t.ctx.db;
  const mine = (r: { brandId?: string | null; publisherId?: string | null }) => (brandId !== null && r.brandId === brandId) || (publisherId !== null && r.publisherId === publisherId);
  return JSON.stringify({
    conversions: (await db.select().from(conversions)).filter(mine),
    keys: (await db.select().from(brandApiKeys)).filter(mine),
    integrations: (await db.select().from(integrations)).filter(mine),
    invoices: (await db.select().from(invoices)).filter(mine),
    payouts: (await db.select().from(payouts)).filter(mine),
    postbacks: (await db.select().from(publisherPostbacks)).filter(mine),
    approvals: (await db.select().from(approvals)).filter(mine),
  });
}

beforeAll(async () => {
  t = await makeTestApp({}, { now: OCT_10 });
  net = await octoberNetwork(t);
  const links = (await api(t, "GET", "/api/admin/approvals")).data as { id: string; publisher_id: string; program_id: string; slug: string }[];
  const linkB = links.find((l) => l.publisher_id === net.beta.id)!;
  ids.approvalB = linkB.id;
  // Sub-ids are the publisher's own: each one clicks with a recognizable sub1.
  const sub = async (key: string, program: string, slug: string, sub1: string, ref: string) => {
    const { clickId } = await click(t, `/go/${slug}?sub1=${sub1}`);
    const { conversion } = await (await postback(t, key, { program_id: program, brand_order_ref: ref, order_value: "250.00", order_currency: "USD", lc_click: clickId })).json();
    await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`);
    return conversion.id as string;
  };
  ids.convA = await sub(net.acme.liveKey, net.tents.id, net.linkA.slug, "ALPHASUB-55", "A-1003");
  ids.convB = await sub(net.other.liveKey, net.mugs.id, linkB.slug, "BETASUB-77", "B-3002");
  ids.integrationB = (await api(t, "POST", "/api/admin/integrations", { program_id: net.mugs.id, provider: "generic", mode: "live", secret: "generic-secret-other-0123456789", vendor_id: "vendor-2" })).id;
  ids.postbackA = (await api(t, "POST", `/api/admin/publishers/${net.alpha.id}/postbacks`, { url: "https://alpha-tracker.example/pb" })).id;
  ids.postbackB = (await api(t, "POST", `/api/admin/publishers/${net.beta.id}/postbacks`, { url: "https://beta-tracker.example/pb" })).id;
  const keys = async (brand: string) => (await api(t, "GET", `/api/admin/brands/${brand}/api-keys`)).data as { id: string }[];
  ids.keyA = (await keys(net.acme.id))[0]!.id;
  ids.keyB = (await keys(net.other.id))[0]!.id;
  for (const [who, email, party] of [
    ["admin", "ops@network.example", {}], ["brandA", "staff@acme.example", { brand_id: net.acme.id }], ["brandB", "staff@other.example", { brand_id: net.other.id }],
    ["pubA", "alpha-user@pub.example", { publisher_id: net.alpha.id }], ["pubB", "beta-user@pub.example", { publisher_id: net.beta.id }],
  ] as const) {
    const u = await makeUser(t, email, ROLE_OF[who], party);
    if (who === "brandB") ids.userBrandB = u.id;
    const { cookie } = await login(t, email);
    s[who] = { cookie, csrf: await csrfOf(t, cookie) };
  }
  t.clock.set(NOV_1);
  await api(t, "POST", "/api/admin/settlements", { period: "2026-10" });
  const pay = (await api(t, "GET", "/api/admin/payouts")).data as { id: string; publisher_id: string }[];
  ids.payoutA = pay.find((p) => p.publisher_id === net.alpha.id)!.id;
  ids.payoutB = pay.find((p) => p.publisher_id === net.beta.id)!.id;
  const inv = (await api(t, "GET", "/api/admin/invoices")).data as { id: string; brand_id: string }[];
  ids.invoiceA = inv.find((i) => i.brand_id === net.acme.id)!.id;
  ids.invoiceB = inv.find((i) => i.brand_id === net.other.id)!.id;
  ids.inbox = (await t.ctx.db.select().from(inbox))[0]!.id;
}, 60_000);
afterAll(() => t.close());

const protectedConsole = consoleRoutes.filter((r) => r.access !== "public");

describe("every route is classified", () => {
  test("each route with path ids names whose ids to use; nothing unknown", () => {
    const unclassified = [...consoleRoutes, ...apiRoutes].filter((r) => r.path.includes("{") && !ID_FOR[keyOf(r)]).map(keyOf);
    expect(unclassified).toEqual([]);
    const api_ = apiRoutes.filter((r) => r.auth !== "admin" && r.auth !== "brand").map(keyOf);
    expect(api_).toEqual([]); // an API route with another kind of auth needs its column in this matrix
    const roles = new Set(protectedConsole.flatMap((r) => r.access as string[]));
    expect([...roles].sort()).toEqual(["admin", "brand", "publisher"]);
  });
});

describe("console routes", () => {
  test("no session: every protected route (GET and POST) -> 302 /login; /live -> 401; public routes never 5xx", async () => {
    for (const r of consoleRoutes) {
      const path = fill(r, "brandB");
      const res = await page(null, r.method, path);
      await bodyOf(res);
      if (r.path === "/live") expect([keyOf(r), res.status]).toEqual([keyOf(r), 401]);
      else if (r.access === "public") expect([keyOf(r), res.status < 500]).toEqual([keyOf(r), true]);
      else {
        expect([keyOf(r), res.status]).toEqual([keyOf(r), 302]);
        expect(res.headers.get("location")).toStartWith("/login?next=");
      }
    }
  });

  test("the wrong role -> 403 on every route, GET and POST (with a valid CSRF token), nothing changed", async () => {
    const before = await Promise.all((["brandA", "brandB", "pubA", "pubB"] as const).map(victimRows));
    for (const r of protectedConsole) {
      for (const who of Object.keys(s) as Who[]) {
        if ((r.access as string[]).includes(ROLE_OF[who])) continue;
        const res = await page(who, r.method, fill(r, "brandB"));
        const body = await bodyOf(res);
        expect([keyOf(r), who, res.status]).toEqual([keyOf(r), who, 403]);
        if (who !== "admin") assertNoLeak(who, keyOf(r), body);
      }
    }
    expect(await Promise.all((["brandA", "brandB", "pubA", "pubB"] as const).map(victimRows))).toEqual(before);
  });

  test("the right role without the CSRF token -> 403 on every POST, nothing changed", async () => {
    const before = await Promise.all((["brandA", "brandB", "pubA", "pubB"] as const).map(victimRows));
    for (const r of protectedConsole.filter((x) => x.method === "POST")) {
      for (const who of Object.keys(s) as Who[]) {
        if (!(r.access as string[]).includes(ROLE_OF[who])) continue;
        const res = await page(who, "POST", fill(r, who === "admin" ? "brandB" : OTHER[who as Party]), false);
        await bodyOf(res);
        expect([keyOf(r), who, res.status]).toEqual([keyOf(r), who, 403]);
      }
    }
    expect(await Promise.all((["brandA", "brandB", "pubA", "pubB"] as const).map(victimRows))).toEqual(before);
  });

  test("admin: every admin page (GET) answers 2xx with real ids of any party, and shows every party's identifying strings", async () => {
    let all = "";
    for (const r of protectedConsole.filter((x) => x.method === "GET" && (x.access as string[]).includes("admin"))) {
      const res = await page("admin", "GET", fill(r, "brandB"));
      all += await bodyOf(res);
      const want = ADMIN_GET_NOT_FOUND.has(keyOf(r)) ? 404 : 200;
      expect([keyOf(r), res.status]).toEqual([keyOf(r), want]);
    }
    all += await bodyOf(await page("admin", "GET", `/admin/conversions/${ids.convA}`));
    // The leak checks below look for strings that really are on the pages of the network.
    const missing = Object.values(FORBIDDEN).flat().filter((x) => !all.includes(x));
    expect(missing).toEqual([]);
  });

  for (const who of ["brandA", "brandB", "pubA", "pubB"] as const) {
    test(`${who}: own pages 200, the other party's ids 404, never another party's names, refs, emails or sub-ids`, async () => {
      const mine = protectedConsole.filter((r) => (r.access as string[]).includes(ROLE_OF[who]));
      let seen = "";
      for (const r of mine.filter((x) => x.method === "GET")) {
        const own = await page(who, "GET", fill(r, who));
        const ownBody = await bodyOf(own);
        seen += ownBody;
        assertNoLeak(who, `${keyOf(r)} (own)`, ownBody);
        expect([keyOf(r), own.status]).toEqual([keyOf(r), 200]);
        if (!r.path.includes("{")) {
          // A query naming the other party cannot widen the scope (the verb ignores or empties it).
          const widen = await page(who, "GET", `${r.path}?${new URLSearchParams(widening(who))}`);
          assertNoLeak(who, `${keyOf(r)} (query naming the other party)`, await bodyOf(widen));
          expect([keyOf(r), "widening query", widen.status < 500]).toEqual([keyOf(r), "widening query", true]);
          continue;
        }
        const theirs = await page(who, "GET", fill(r, OTHER[who]));
        assertNoLeak(who, `${keyOf(r)} (other's id)`, await bodyOf(theirs));
        expect([keyOf(r), "other's id", theirs.status]).toEqual([keyOf(r), "other's id", 404]);
      }
      expect(OWN[who].filter((x) => !seen.includes(x))).toEqual([]);
    });

    test(`${who}: every POST with the other party's ids -> 404 (or a refusal), with a CSRF token, and their rows unchanged`, async () => {
      const victim = OTHER[who];
      const before = await victimRows(victim);
      const mine = protectedConsole.filter((r) => r.method === "POST" && (r.access as string[]).includes(ROLE_OF[who]));
      for (const r of mine) {
        const fields = { status: "paused", reason: "scope matrix", url: "https://x.example/pb", method: "GET", name: "scope matrix" };
        const res = await page(who, "POST", fill(r, victim), true, fields);
        const body = await bodyOf(res);
        assertNoLeak(who, `POST ${r.path}`, body);
        expect([keyOf(r), res.status < 500]).toEqual([keyOf(r), true]);
        // Applying to another brand's open program is the marketplace, not a leak; every other id is theirs.
        if (r.path.includes("{") && keyOf(r) !== "POST /dashboard/publisher/programs/{id}/apply") expect([keyOf(r), res.status]).toEqual([keyOf(r), 404]);
      }
      expect(await victimRows(victim)).toEqual(before);
    });
  }
});

describe("API routes", () => {
  const creds = () => ({ admin: t.adminToken, brandALive: net.acme.liveKey, brandATest: net.acme.testKey });
  const call = (method: string, path: string, token?: string, headers: Record<string, string> = {}) =>
    t.request(path, { method, token, headers, json: method === "GET" || method === "DELETE" ? undefined : { reason: "scope matrix" } });

  test("no credentials, a console session cookie, or the wrong kind of credential -> 401 on every route, nothing changed", async () => {
    const before = await Promise.all((["brandA", "brandB", "pubA", "pubB"] as const).map(victimRows));
    for (const r of apiRoutes) {
      const m = r.method.toUpperCase();
      const path = fill(r, "brandB");
      const wrong = r.auth === "admin" ? [creds().brandALive, creds().brandATest] : [creds().admin];
      for (const token of [undefined, ...wrong]) {
        const res = await call(m, path, token);
        await bodyOf(res);
        expect([keyOf(r), token?.slice(0, 8), res.status]).toEqual([keyOf(r), token?.slice(0, 8), 401]);
      }
      for (const who of ["admin", "brandA", "pubA"] as const) {
        const res = await call(m, path, undefined, { cookie: s[who].cookie });
        await bodyOf(res);
        expect([keyOf(r), who, res.status]).toEqual([keyOf(r), who, 401]);
      }
    }
    expect(await Promise.all((["brandA", "brandB", "pubA", "pubB"] as const).map(victimRows))).toEqual(before);
  });

  test("admin token: every admin GET answers 2xx with real ids of any party", async () => {
    for (const r of apiRoutes.filter((x) => x.auth === "admin" && x.method.toUpperCase() === "GET")) {
      const res = await call("GET", fill(r, "brandB"), creds().admin);
      await bodyOf(res);
      expect([keyOf(r), res.status]).toEqual([keyOf(r), ADMIN_GET_NOT_FOUND.has(keyOf(r)) ? 404 : 200]);
    }
  });

  test("brand A live key: own rows 2xx, brand B's ids 404, never brand B's data; POSTs leave brand B unchanged", async () => {
    const before = await victimRows("brandB");
    for (const r of apiRoutes.filter((x) => x.auth === "brand")) {
      const m = r.method.toUpperCase();
      if (m === "GET") {
        const own = await call("GET", fill(r, "brandA"), creds().brandALive);
        assertNoLeak("brandA", `${keyOf(r)} (own)`, await bodyOf(own));
        expect([keyOf(r), own.status]).toEqual([keyOf(r), 200]);
      }
      if (!r.path.includes("{")) continue;
      const theirs = await call(m, fill(r, "brandB"), creds().brandALive);
      assertNoLeak("brandA", `${keyOf(r)} (B's id)`, await bodyOf(theirs));
      expect([keyOf(r), theirs.status]).toEqual([keyOf(r), 404]);
    }
    // A conversion reported against brand B's program with brand A's key is refused and creates nothing.
    const res = await postback(t, net.acme.liveKey, { program_id: net.mugs.id, brand_order_ref: "A-INTO-B", order_value: "10.00", order_currency: "USD" });
    const refused = await res.text();
    assertNoLeak("brandA", "POST /api/conv (B's program)", refused);
    // SPEC: 403 "program not the brand's", the same answer as for a program that does not exist.
    expect(res.status).toBe(403);
    const none = await postback(t, net.acme.liveKey, { program_id: NOPE, brand_order_ref: "A-INTO-NONE", order_value: "10.00", order_currency: "USD" });
    expect([none.status, await none.text()]).toEqual([403, refused]);
    expect(await victimRows("brandB")).toEqual(before);
  });

  test("brand A test key: sees none of brand A's live rows nor brand B's; B's ids 404", async () => {
    for (const r of apiRoutes.filter((x) => x.auth === "brand" && x.path.includes("{"))) {
      for (const p of ["brandA", "brandB"] as const) {
        if (r.method.toUpperCase() !== "GET") continue;
        const res = await call("GET", fill(r, p), creds().brandATest);
        assertNoLeak("brandA", `${keyOf(r)} (test key)`, await bodyOf(res));
        if (p === "brandB") expect([keyOf(r), res.status]).toEqual([keyOf(r), 404]);
      }
    }
    const list = await (await call("GET", "/api/conversions", creds().brandATest)).json();
    expect(list.data.map((c: { id: string }) => c.id)).not.toContain(ids.convA);
  });
});
