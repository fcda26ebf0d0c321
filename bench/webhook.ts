// bench/webhook: verified webhooks/s for a signed Refersion body against the
// plain /api/conv postback, same server, same load generator, same run.
//   bun bench/webhook.ts [--requests 4000] [--concurrency 32]
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const REQUESTS = arg("requests", 4000);
const CONCURRENCY = arg("concurrency", 32);
const SECRET = "bench-refersion-secret";

const dir = mkdtempSync(join(tmpdir(), "lastclick-bench-webhook-"));
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ["src/cli.ts", "serve"], {
  env: { ...process.env, DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: String(port), HOST: "127.0.0.1", SCHEDULER: "off" },
  stdio: ["ignore", "pipe", "inherit"],
});
let out = "";
server.stdout!.on("data", (d) => { out += d; });
for (let i = 0; i < 200 && !/lc_admin_\S+/.test(out); i++) await Bun.sleep(50);
const admin = /lc_admin_\S+/.exec(out)![0];

async function call(path: string, json: unknown, token = admin) {
  const res = await fetch(base + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(json) });
  return res.json() as Promise<any>;
}
const brand = await call("/api/admin/brands", { name: "Bench" });
const { key } = await call(`/api/admin/brands/${brand.id}/api-keys`, { mode: "live" });
const program = await call("/api/admin/programs", { brand_id: brand.id, name: "P", dest_url: "https://shop.example/", commission_type: "percentage", commission_value: "10", currency: "USD" });
const integ = await call("/api/admin/integrations", { program_id: program.id, provider: "refersion", mode: "live", secret: SECRET });
const webhookUrl = integ.webhook_url.replace(/^http:\/\/[^/]+/, base);

type Make = (i: number) => Request;
const makeWebhook: Make = (i) => {
  const body = JSON.stringify({ order_id: `WH-${i}`, status: "PENDING", total: "59.00", commission_total: "5.90", currency: "USD", click: { sub_id: null } });
  return new Request(webhookUrl, { method: "POST", body, headers: { "content-type": "application/json", "refersion-signature": createHmac("sha256", SECRET).update(body).digest("base64") } });
};
const makePostback: Make = (i) => new Request(`${base}/api/conv`, {
  method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  body: JSON.stringify({ program_id: program.id, brand_order_ref: `PB-${i}`, order_value: "59.00", order_currency: "USD" }),
});

async function drive(name: string, make: Make) {
  let next = 0, ok = 0, bad = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) {
      const res = await fetch(make(next++));
      await res.arrayBuffer();
      res.status === 200 ? ok++ : bad++;
    }
  }));
  const secs = (performance.now() - started) / 1000;
  const rps = ok / secs;
  console.log(`${name.padEnd(24)} ${String(ok).padStart(6)} ok  ${String(bad).padStart(4)} failed  ${rps.toFixed(0).padStart(6)} /s`);
  return rps;
}

try {
  await drive("warm-up", makePostback); // JIT and page cache, same for both
  const postback = await drive("/api/conv (baseline)", (i) => makePostback(i + REQUESTS));
  const webhook = await drive("refersion webhook", makeWebhook);
  console.log(`ratio webhook / postback: ${(webhook / postback).toFixed(2)} (concurrency ${CONCURRENCY}, ${REQUESTS} requests each; both durable: conversion + audit + inbox row per request)`);
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
}
