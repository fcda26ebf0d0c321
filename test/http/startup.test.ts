import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boot } from "../../src/boot";
import { loadConfig } from "../../src/config";
import { MIGRATIONS } from "../../src/db/migrations.gen";

test("two instances starting at once on a fresh database both come up, with one secrets key", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lastclick-startup-"));
  try {
    const config = loadConfig({ DATABASE_URL: `file:${join(dir, "db.sqlite")}`, SCHEDULER: "off" });
    const [a, b] = await Promise.all([boot(config, { geoBytes: null }), boot(config, { geoBytes: null })]);
    const keyFile = join(dir, "secrets.key");
    expect(existsSync(keyFile)).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // Both sealed with the same key: each opens what the other sealed.
    expect(b.ctx.secrets.open(a.ctx.secrets.seal("x"))).toBe("x");
    // Both agree on the day's IP-hash salt (one created, sealed with that key).
    const now = Date.now();
    expect(await a.ctx.ipSalts.hash("192.0.2.1", now)).toBe((await b.ctx.ipSalts.hash("192.0.2.1", now))!);
    const migrations = await a.ctx.client.execute("select count(*) from __drizzle_migrations");
    expect(Number(migrations.rows[0]![0])).toBe(MIGRATIONS.length); // applied once, not twice
    for (const x of [a, b]) { await x.ctx.clicks.close(); x.database.close(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
