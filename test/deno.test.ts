import { afterAll, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { SecretBox } from "../src/shared/secret-box";

// The same app core under Deno (src/deno.ts): one click and one postback over
// real sockets, then SIGTERM, then the database file is checked from Bun.
const ROOT = resolve(import.meta.dir, "..");
const DENO_ARGS = ["run", "--allow-all", "--unstable-raw-imports", "--node-modules-dir=manual", "src/deno.ts"];

function findDeno(): string | null {
  const local = join(ROOT, "node_modules/.bin/deno");
  if (existsSync(local)) return local;
  return Bun.which("deno");
}

/** Reads a stream into `sink.text` as it arrives. */
function collect(stream: ReadableStream<Uint8Array>, sink: { text: string }): Promise<void> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  return (async () => {
    for (let r = await reader.read(); !r.done; r = await reader.read()) sink.text += decoder.decode(r.value, { stream: true });
  })();
}

async function waitFor<T>(what: string, probe: () => T | null, ms: number, log: () => string): Promise<T> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const v = probe();
    if (v !== null) return v;
    await Bun.sleep(50);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}; Deno output:\n${log()}`);
}

const dir = mkdtempSync(join(tmpdir(), "lastclick-deno-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("under Deno: a click and a postback, then SIGTERM flushes the buffered click", async () => {
  const deno = findDeno();
  if (!deno) throw new Error("deno binary not found: run `npm install` (devDependency `deno`) or put `deno` on PATH");

  const dbFile = join(dir, "deno.db");
  const proc = Bun.spawn([deno, ...DENO_ARGS], {
    cwd: ROOT, stdout: "pipe", stderr: "pipe",
    env: {
      ...process.env, NO_COLOR: "1",
      DATABASE_URL: `file:${dbFile}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off",
      TRUSTED_PROXIES: "127.0.0.1",
      // A slow flush keeps the click in memory until SIGTERM: the stop path must write it.
      CLICK_FLUSH_MS: "10000", CLICK_BATCH_SIZE: "5000",
    },
  });
  const out = { text: "" }, err = { text: "" };
  const reading = Promise.all([collect(proc.stdout, out), collect(proc.stderr, err)]);
  const log = () => `--- stdout\n${out.text}\n--- stderr\n${err.text}`;

  try {
    const base = await waitFor("the listening line", () => /listening on (http:\/\/[\d.]+:\d+)/.exec(out.text)?.[1] ?? null, 45_000, log);
    const admin = await waitFor("the initial admin token", () => /\b(lc_admin_\S+)/.exec(out.text)?.[1] ?? null, 5_000, log);

    const call = async (path: string, token: string, json: unknown) => {
      const res = await fetch(base + path, {
        method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(json),
      });
      const body = (await res.json()) as any;
      if (!res.ok) throw new Error(`POST ${path} -> ${res.status}: ${JSON.stringify(body)}`);
      return body;
    };
    const brand = await call("/api/admin/brands", admin, { name: "Deno Brand" });
    const { key } = await call(`/api/admin/brands/${brand.id}/api-keys`, admin, { mode: "live" });
    const program = await call("/api/admin/programs", admin, {
      brand_id: brand.id, name: "Deno Program", dest_url: "https://shop.example/landing",
      commission_type: "percentage", commission_value: "10", currency: "USD",
    });
    const publisher = await call("/api/admin/publishers", admin, { name: "Deno Pub", email: "deno@pub.example" });
    const { slug } = await call("/api/admin/approvals", admin, { program_id: program.id, publisher_id: publisher.id });

    const click = await fetch(`${base}/go/${slug}`, {
      redirect: "manual",
      headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36", "x-forwarded-for": "8.8.8.8" },
    });
    expect(click.status).toBe(302);
    const location = new URL(click.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("https://shop.example/landing");
    const clickId = location.searchParams.get("lc_click");
    expect(clickId).toBeTruthy();
    expect(click.headers.get("set-cookie")).toContain(clickId!);

    const conv = await fetch(`${base}/api/conv`, {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ program_id: program.id, brand_order_ref: "deno-order-1", order_value: "50.00", order_currency: "USD", lc_click: clickId }),
    });
    const convBody = (await conv.json()) as any;
    expect(conv.status).toBe(200);
    expect(convBody.status).toBe("created");
    expect(convBody.conversion).toMatchObject({ commission: "5.00", publisher_id: publisher.id, click_id: clickId, attributed: true });

    proc.kill("SIGTERM");
    const code = await Promise.race([proc.exited, Bun.sleep(15_000).then(() => "timeout" as const)]);
    if (code === "timeout") throw new Error(`Deno did not exit within 15 s of SIGTERM\n${log()}`);
    await reading;
    expect(code).toBe(0);
    expect(out.text).toContain("SIGTERM: flushing 1 buffered clicks");

    const db = createClient({ url: `file:${dbFile}` });
    try {
      const clicks = (await db.execute("select id, ip_hash, country, created_at from clicks")).rows;
      expect(clicks).toHaveLength(1);
      expect(clicks[0]!.id).toBe(clickId);
      // The socket peer reached the app (Deno.serve -> rememberPeer): 127.0.0.1 is a
      // trusted proxy, so X-Forwarded-For was honoured and the country came from DB-IP.
      // Hashed with the salt of the click's day, sealed in the database with the secrets.key beside it.
      const day = new Date(Number(clicks[0]!.created_at)).toISOString().slice(0, 10);
      const sealed = (await db.execute({ sql: "select salt_sealed from ip_hash_salts where day = ?", args: [day] })).rows[0]!.salt_sealed as string;
      const salt = new SecretBox(readFileSync(join(dir, "secrets.key"), "utf8").trim()).open(sealed);
      expect(clicks[0]!.ip_hash).toBe(createHmac("sha256", salt).update("8.8.8.8").digest("base64url").slice(0, 22));
      expect(clicks[0]!.country).toBe("US");
      const convs = (await db.execute("select click_id, publisher_id, commission_minor from conversions")).rows;
      expect(convs).toHaveLength(1);
      expect(convs[0]).toMatchObject({ click_id: clickId, publisher_id: publisher.id, commission_minor: 500 });
    } finally {
      db.close();
    }
  } catch (e) {
    if (e instanceof Error && !e.message.includes("--- stdout")) e.message += `\n${log()}`;
    throw e;
  } finally {
    if (proc.exitCode === null) proc.kill("SIGKILL");
  }
}, 90_000);

test("under Deno: a port already in use is refused with one line and exit 2", async () => {
  const deno = findDeno();
  if (!deno) throw new Error("deno binary not found: run `npm install` (devDependency `deno`) or put `deno` on PATH");
  const holder = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("the other server") });
  try {
    const proc = Bun.spawn([deno, ...DENO_ARGS], {
      cwd: ROOT, stdout: "pipe", stderr: "pipe",
      env: { ...process.env, NO_COLOR: "1", DATABASE_URL: `file:${join(dir, "busy.db")}`, PORT: String(holder.port), HOST: "127.0.0.1", SCHEDULER: "off" },
    });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(code, stdout + stderr).toBe(2);
    expect(stderr.trim()).toBe(`Port ${holder.port} on 127.0.0.1 is already in use (another Lastclick, or another program, listens there): stop it or set PORT.`);
    expect(stdout).not.toContain("First start");
  } finally {
    holder.stop(true);
  }
}, 60_000);
