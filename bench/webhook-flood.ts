// bench/webhook-flood: how much a flood of unauthenticated 60 KB posts grows the
// database. The appliance in a child process with 200 refersion integrations;
// then for --seconds (5) as fast as --concurrency (64) connections go: bad-key
// /api/conv posts and forged-signature webhooks (no &i=), from --sources
// addresses (1; more are simulated through X-Forwarded-For from a trusted
// proxy). Prints requests, bytes sent, answers, database growth on disk.
//   bun bench/webhook-flood.ts [--seconds 5] [--concurrency 64] [--sources 1]
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { tempDir } from "./lib";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg("seconds", 5);
const CONCURRENCY = arg("concurrency", 64);
const SOURCES = arg("sources", 1);

const tmp = tempDir("webhook-flood");
const file = join(tmp.dir, "db.sqlite");
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ["src/cli.ts", "serve"], {
  env: { ...process.env, DATABASE_URL: `file:${file}`, PORT: String(port), HOST: "127.0.0.1", SCHEDULER: "off", TRUSTED_PROXIES: "127.0.0.1" },
  stdio: ["ignore", "pipe", "inherit"],
});
let out = "";
server.stdout!.on("data", (d) => { out += d; });
for (let i = 0; i < 200 && !/lc_admin_\S+/.test(out); i++) await Bun.sleep(50);
const admin = /lc_admin_\S+/.exec(out)![0];
const onDisk = () => [file, `${file}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);

async function call(path: string, json: unknown) {
  const res = await fetch(base + path, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify(json) });
  return res.json() as Promise<any>;
}
const brand = await call("/api/admin/brands", { name: "Bench" });
const program = await call("/api/admin/programs", { brand_id: brand.id, name: "P", dest_url: "https://shop.example/", commission_type: "percentage", commission_value: "10", currency: "USD" });
for (let i = 0; i < 200; i++) await call("/api/admin/integrations", { program_id: program.id, provider: "refersion", mode: "live", secret: `bench-refersion-secret-${i}` });

const pad = "x".repeat(60_000);
const statuses = new Map<number, number>();
let sent = 0, requests = 0;
try {
  const before = onDisk();
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, worker) => {
    for (let i = 0; performance.now() < until; i++) {
      const body = JSON.stringify({ program_id: program.id, brand_order_ref: `F-${worker}-${i}`, order_value: "1.00", order_currency: "USD", pad });
      const source = `10.${worker % 200}.${(i % SOURCES) >> 8}.${(i % SOURCES) & 255}`;
      const headers: Record<string, string> = { "content-type": "application/json", ...(SOURCES > 1 ? { "x-forwarded-for": source } : {}) };
      const res = i % 2
        ? await fetch(`${base}/api/conv`, { method: "POST", body, headers: { ...headers, authorization: "Bearer lc_live_forged-key-000000000000000000" } })
        : await fetch(`${base}/api/affiliate/webhook?provider=refersion`, { method: "POST", body, headers: { ...headers, "refersion-signature": "Zm9yZ2VkLXNpZ25hdHVyZQ==" } });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      sent += body.length;
      requests++;
    }
  }));
  await Bun.sleep(200); // counters written behind the requests
  const grown = onDisk() - before;
  const db = createClient({ url: `file:${file}` });
  const row = (await db.execute("SELECT count(*), sum(repeat_count), sum(length(body_b64) + length(headers) + length(url) + length(reason)) FROM inbox")).rows[0]!;
  const rows = row[0], counted = row[1], kept = Number(row[2] ?? 0);
  db.close();
  const answers = [...statuses].sort().map(([s, c]) => `${s}: ${c}`).join(", ");
  console.log(`${requests} unauthenticated requests in ${SECONDS} s (${(requests / SECONDS).toFixed(0)} /s, ${(sent / 1e6).toFixed(0)} MB sent, ${SOURCES} source(s)); answers ${answers}`);
  console.log(`database grew by ${(grown / 1e6).toFixed(2)} MB on disk (target < 10 MB); inbox: ${rows} rows (${(kept / 1e3).toFixed(0)} KB of text) standing for ${counted} requests`);
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  tmp.remove();
}
