// The single executable, end to end: copied alone into an empty folder, it
// creates its database, prints an admin token, takes a click and a postback,
// and on SIGTERM writes everything and exits 0.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient } from "@libsql/client";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { BINARY, collect, ensureBinary, freePort } from "./helpers/binary";
import { join } from "node:path";

const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

let dir = "";
let proc: ReturnType<typeof Bun.spawn> | null = null;

beforeAll(async () => {
  await ensureBinary();
  dir = mkdtempSync(join(tmpdir(), "lastclick-bin-"));
  copyFileSync(BINARY, join(dir, "lastclick"));
}, 180_000);

afterAll(() => {
  if (proc && proc.exitCode === null) proc.kill("SIGKILL");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the binary runs alone from an empty folder: click, postback, graceful stop", async () => {
  expect(readdirSync(dir)).toEqual(["lastclick"]);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Only what the appliance needs: no inherited DATABASE_URL or the like.
  proc = Bun.spawn([join(dir, "lastclick"), "serve"], {
    cwd: dir,
    env: { PORT: String(port), HOST: "127.0.0.1", SCHEDULER: "off" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const out = collect(proc.stdout as ReadableStream<Uint8Array>);
  const err = collect(proc.stderr as ReadableStream<Uint8Array>);
  try {
    await out.waitFor(/listening on/, 20_000);
    const [, token] = await out.waitFor(/First start: created an admin API token[^\n]*\n\s*(\S+)/, 5_000);
    expect(token).toStartWith("lc_admin_");

    const admin = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, any>;
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };

    const css = await fetch(`${base}/public/app.css`);
    expect(css.status).toBe(200);
    expect((await css.text()).length).toBeGreaterThan(0);

    const brand = await admin("/api/admin/brands", { name: "Binary Outdoor" });
    const { key } = await admin(`/api/admin/brands/${brand.id}/api-keys`, { mode: "live" });
    const program = await admin("/api/admin/programs", {
      brand_id: brand.id, name: "Binary Tents", dest_url: "https://shop.example/tents",
      commission_type: "flat_cpa", commission_value: "5.00", currency: "USD",
    });
    const publisher = await admin("/api/admin/publishers", { name: "Trail Blog", email: "trail@example.com" });
    const approval = await admin("/api/admin/approvals", { program_id: program.id, publisher_id: publisher.id });
    expect(approval.tracking_url).toEndWith(`/go/${approval.slug}`);

    const click = await fetch(`${base}/go/${approval.slug}`, { redirect: "manual", headers: { "user-agent": BROWSER_UA } });
    expect(click.status).toBe(302);
    const location = new URL(click.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("https://shop.example/tents");
    const lcClick = location.searchParams.get("lc_click");
    expect(lcClick).toBeTruthy();

    const conv = await fetch(`${base}/api/conv`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ program_id: program.id, brand_order_ref: "order-1", order_value: "20.00", order_currency: "USD", lc_click: lcClick }),
    });
    const convBody = (await conv.json()) as Record<string, any>;
    expect(conv.status, JSON.stringify(convBody)).toBe(200);
    expect(convBody.status).toBe("created");
    expect(convBody.conversion.attributed).toBe(true);
    expect(convBody.conversion.publisher_id).toBe(publisher.id);
    expect(convBody.conversion.click_id).toBe(lcClick!.toLowerCase());

    proc.kill("SIGTERM");
    const code = await Promise.race([proc.exited, Bun.sleep(15_000).then(() => "timeout" as const)]);
    expect(code, `stdout:\n${out.text}\nstderr:\n${err.text}`).toBe(0);
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : e}\n--- stdout:\n${out.text}\n--- stderr:\n${err.text}`);
  }
  await Promise.all([out.done, err.done]);

  const dbFile = join(dir, "data", "lastclick.db");
  expect(existsSync(dbFile)).toBe(true);
  const db = createClient({ url: `file:${dbFile}` });
  try {
    const count = async (table: string) => Number((await db.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    expect(await count("clicks")).toBe(1);
    expect(await count("conversions")).toBe(1);
  } finally {
    db.close();
  }
}, 60_000);

test("the binary closes a month (lastclick settle) and serves the invoice PDF with its embedded font", async () => {
  // Test 1 left a database with one conversion; move it into last month, approved.
  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
  const period = lastMonth.toISOString().slice(0, 7);
  const db = createClient({ url: `file:${join(dir, "data", "lastclick.db")}` });
  await db.execute({ sql: "UPDATE conversions SET status = 'approved', created_at = ?, approved_at = ?", args: [lastMonth.getTime(), lastMonth.getTime()] });
  await db.execute({ sql: "UPDATE brands SET name = 'Łódź Ремонт Outdoor'", args: [] });
  db.close();
  const run = (args: string[]) => Bun.spawnSync([join(dir, "lastclick"), ...args], { cwd: dir, env: { SCHEDULER: "off" } });
  const settle = run(["settle", "--period", period]);
  expect(settle.exitCode, settle.stderr.toString()).toBe(0);
  expect(settle.stdout.toString()).toContain(`Period ${period} (UTC`);
  expect(settle.stdout.toString()).toContain("USD: 1 conversion(s), invoiced 5.00 USD in 1 invoice(s)");
  const token = run(["token", "create", "--name", "pdf"]).stdout.toString().match(/lc_admin_\S+/)![0];

  const port = await freePort();
  proc = Bun.spawn([join(dir, "lastclick"), "serve"], { cwd: dir, env: { PORT: String(port), HOST: "127.0.0.1", SCHEDULER: "off" }, stdout: "pipe", stderr: "pipe" });
  const out = collect(proc.stdout as ReadableStream<Uint8Array>);
  collect(proc.stderr as ReadableStream<Uint8Array>);
  try {
    await out.waitFor(/listening on/, 20_000);
    const auth = { authorization: `Bearer ${token}` };
    const list = (await (await fetch(`http://127.0.0.1:${port}/api/admin/invoices?period=${period}`, { headers: auth })).json()) as { data: { id: string; number: string }[] };
    expect(list.data.map((i) => i.number)).toEqual([`LC-${period}-0001`]);
    const pdf = await fetch(`http://127.0.0.1:${port}/api/admin/invoices/${list.data[0]!.id}/pdf`, { headers: auth });
    expect(pdf.status).toBe(200);
    const file = join(dir, "invoice.pdf");
    await Bun.write(file, await pdf.arrayBuffer());
    const text = Bun.spawnSync(["pdftotext", file, "-"]).stdout.toString();
    expect(text).toContain(`LC-${period}-0001`);
    expect(text).toContain("Łódź Ремонт Outdoor");
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
}, 60_000);
