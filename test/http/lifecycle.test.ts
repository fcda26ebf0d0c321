import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boot } from "../../src/boot";
import { loadConfig } from "../../src/config";
import { startAppliance } from "../../src/lifecycle";

const dir = mkdtempSync(join(tmpdir(), "lastclick-lifecycle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The Bun and Deno entries both call startAppliance: one stop order for both
// (the Deno entry once forgot to drain the write queue).
test("stop runs in one order: live streams -> stop accepting -> clicks -> writes -> database, once", async () => {
  const config = loadConfig({ DATABASE_URL: `file:${join(dir, "l.db")}`, SCHEDULER: "off", PORT: "0" });
  const { ctx, database } = await boot(config, { geoBytes: null });
  const order: string[] = [];
  const spy = <T extends object>(obj: T, key: keyof T, name: string) => {
    const original = (obj[key] as unknown as (...a: unknown[]) => unknown).bind(obj);
    (obj as Record<keyof T, unknown>)[key] = async (...a: unknown[]) => { order.push(name); return original(...a); };
  };
  ctx.live = { closing: false, closeAll: () => { order.push("live"); }, add: () => {}, delete: () => {} };
  spy(ctx.clicks, "close", "clicks");
  spy(ctx.writes, "close", "writes");
  spy(database, "close", "database");
  const started = await startAppliance(ctx, database, config, {
    runtime: "Test", listen: () => ({ port: 4321, stop: async () => { order.push("server"); } }),
  });
  expect(started.port).toBe(4321);
  await Promise.all([started.stop(), started.stop()]); // a second signal joins the first stop
  expect(order).toEqual(["live", "server", "clicks", "writes", "database"]);
});
