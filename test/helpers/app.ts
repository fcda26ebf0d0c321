import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../src/app";
import { boot } from "../../src/boot";
import { loadConfig, type Config } from "../../src/config";
import type { AppContext } from "../../src/context";
import { createAdminToken } from "../../src/network/admin-tokens";
import { FakeClock } from "../../src/shared/clock";
import { rememberPeer } from "../../src/tracking/peer";

export interface TestApp {
  ctx: AppContext;
  clock: FakeClock;
  dir: string;
  adminToken: string;
  /** Sends a request through the real app (no listen): path relative to PUBLIC_URL. */
  request(path: string, init?: RequestInit & { json?: unknown; token?: string; peer?: string }): Promise<Response>;
  close(): Promise<void>;
}

export const T0 = Date.UTC(2026, 10, 2, 12, 0, 0); // 2026-11-02 12:00:00 UTC

/** A fresh, migrated libSQL file per call (per test file), fake clock, real app. */
export async function makeTestApp(env: Record<string, string> = {}, opts: { now?: number } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), "lastclick-test-"));
  const config: Config = loadConfig({
    DATABASE_URL: `file:${join(dir, "test.db")}`, PUBLIC_URL: "https://track.test", SCHEDULER: "off", ...env,
  });
  const clock = new FakeClock(opts.now ?? T0);
  const { ctx, database } = await boot(config, { clock, geoBytes: null });
  const app = buildApp(ctx);
  const { token } = await createAdminToken(ctx.db, "test", clock.now());
  return {
    ctx, clock, dir, adminToken: token,
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.token) headers.set("authorization", `Bearer ${init.token}`);
      let body = init.body;
      if (init.json !== undefined) { headers.set("content-type", "application/json"); body = JSON.stringify(init.json); }
      const req = new Request(`https://track.test${path}`, { ...init, headers, body });
      if (init.peer) rememberPeer(req, init.peer); // the socket address a real server would see
      return app.handle(req);
    },
    async close() {
      await ctx.clicks.close();
      await ctx.changes.stop();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
