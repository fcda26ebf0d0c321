import { afterAll, beforeAll, expect, spyOn, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdminToken } from "../../src/network/admin-tokens";
import { loadConfig } from "../../src/config";
import { serve, type Running } from "../../src/main";

// A client that sends the headers and part of the body, then closes the
// socket: one log line, no "unhandled error" dump, nothing kept, and the
// server goes on serving. Through a real listening server and a raw socket.
let dir: string;
let app: Running;
let liveKey: string;
let programId: string;

async function call(path: string, json: unknown, token: string) {
  const res = await fetch(app.url + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(json) });
  return { status: res.status, body: await res.json() as any };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lastclick-disconnect-"));
  const log = spyOn(console, "log").mockImplementation(() => {}); // the start-up banner
  app = await serve(loadConfig({
    DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", IP_HASH_SECRET: "disconnect-secret-123",
  }), { handleSignals: false });
  log.mockRestore();
  const { token } = await createAdminToken(app.ctx.db, "t");
  const brand = (await call("/api/admin/brands", { name: "B" }, token)).body;
  liveKey = (await call(`/api/admin/brands/${brand.id}/api-keys`, { mode: "live" }, token)).body.key;
  programId = (await call("/api/admin/programs", { brand_id: brand.id, name: "P", dest_url: "https://shop.example/", commission_type: "percentage", commission_value: "10", currency: "USD" }, token)).body.id;
});
afterAll(async () => {
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Headers promising 5000 bytes, 14 bytes of body, then the socket is closed. */
function sendHalfAndHangUp(pathAndQuery: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(app.port, "127.0.0.1", () => {
      const head = Object.entries({ host: `127.0.0.1:${app.port}`, "content-type": "application/json", "content-length": "5000", ...headers })
        .map(([k, v]) => `${k}: ${v}\r\n`).join("");
      socket.write(`POST ${pathAndQuery} HTTP/1.1\r\n${head}\r\n{"program_id":`, () => setTimeout(() => { socket.destroy(); resolve(); }, 50));
    });
    socket.on("error", reject);
  });
}

const inboxCount = async () => Number((await app.ctx.client.execute("select count(*) from inbox")).rows[0]![0]);

test.each([
  ["/api/conv", "/api/conv", () => ({ authorization: `Bearer ${liveKey}` })],
  ["/api/affiliate/webhook", "/api/affiliate/webhook?provider=generic&token=not-logged", () => ({ "x-lastclick-secret": "s3cret-not-logged" })],
])("%s: a body cut short is one log line and the server keeps serving", async (path, pathAndQuery, headers) => {
  const before = await inboxCount();
  const warn = spyOn(console, "warn").mockImplementation(() => {});
  const error = spyOn(console, "error").mockImplementation(() => {});
  const log = spyOn(console, "log").mockImplementation(() => {});
  try {
    await sendHalfAndHangUp(pathAndQuery, headers());
    for (let i = 0; i < 100 && warn.mock.calls.length === 0; i++) await Bun.sleep(20);
    await Bun.sleep(100); // anything else it would print has had time to appear
    expect(warn.mock.calls).toEqual([[`client disconnected mid-body: POST ${path} after 14 of 5000 bytes (The connection was closed.)`]]);
    expect(error).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  } finally {
    warn.mockRestore(); error.mockRestore(); log.mockRestore();
  }
  expect(await inboxCount()).toBe(before); // nothing was received to keep or replay
  const next = await call("/api/conv", { program_id: programId, brand_order_ref: `after-${path}`, order_value: "10.00", order_currency: "USD" }, liveKey);
  expect([next.status, next.body.status]).toEqual([200, "created"]);
});
