import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boot } from "../../src/boot";
import { ConfigError, loadConfig } from "../../src/config";

const dir = mkdtempSync(join(tmpdir(), "lastclick-secrets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY_A = "key-a-0123456789-0123456789-0123456789";
const KEY_B = "key-b-0123456789-0123456789-0123456789";
const start = (env: Record<string, string>) => boot(loadConfig({ SCHEDULER: "off", IP_HASH_SECRET: "test-secret-0123456789", ...env }), { geoBytes: null });
const stop = async (x: Awaited<ReturnType<typeof start>>) => { await x.ctx.clicks.close(); await x.ctx.changes.stop(); x.database.close(); };

describe("a libSQL server database needs one shared secrets key", () => {
  test("no SECRETS_KEY and no SECRETS_KEY_FILE: refused before connecting, saying what to set", async () => {
    const err = await start({ DATABASE_URL: "libsql://127.0.0.1:9?tls=0" }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain("SECRETS_KEY");
    expect(err.message).toContain("same key on every instance");
  });

  test("the CLI prints the reason and exits 2", () => {
    const r = spawnSync(process.execPath, ["src/cli.ts", "serve", "--database-url", "http://127.0.0.1:9", "--port", "0"],
      { cwd: join(import.meta.dir, "../.."), encoding: "utf8", env: { ...process.env, SECRETS_KEY: "", SECRETS_KEY_FILE: "" }, timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("must share one secrets key");
  });

  test("SECRETS_KEY_FILE that is missing or too short is refused", async () => {
    const missing = await start({ DATABASE_URL: "libsql://127.0.0.1:9?tls=0", SECRETS_KEY_FILE: join(dir, "nope.key") }).catch((e) => e);
    expect(missing).toBeInstanceOf(ConfigError);
    expect(missing.message).toContain("does not exist");
    writeFileSync(join(dir, "short.key"), "short\n");
    const short = await start({ DATABASE_URL: "libsql://127.0.0.1:9?tls=0", SECRETS_KEY_FILE: join(dir, "short.key") }).catch((e) => e);
    expect(short.message).toContain("at least 32 characters");
  });
});

describe("a key that does not match the database is refused at start", () => {
  const url = `file:${join(dir, "db.sqlite")}`;

  test("the first start records the key's fingerprint (not the key); a start with another key is refused", async () => {
    const first = await start({ DATABASE_URL: url, SECRETS_KEY: KEY_A });
    const sealed = first.ctx.secrets.seal("webhook secret");
    const rows = await first.ctx.client.execute("select value from settings where key = 'secrets_key_fingerprint'");
    expect(String(rows.rows[0]![0])).toMatch(/^[0-9a-f]{32}$/);
    expect(String(rows.rows[0]![0])).not.toContain(KEY_A);
    await stop(first);

    const wrong = await start({ DATABASE_URL: url, SECRETS_KEY: KEY_B }).catch((e) => e);
    expect(wrong).toBeInstanceOf(ConfigError);
    expect(wrong.message).toContain("not the key this database was set up with");

    // The same key from a file is accepted and opens what the first instance sealed.
    writeFileSync(join(dir, "a.key"), `${KEY_A}\n`, { mode: 0o600 });
    const again = await start({ DATABASE_URL: url, SECRETS_KEY_FILE: join(dir, "a.key") });
    expect(again.ctx.secrets.open(sealed)).toBe("webhook secret");
    await stop(again);
  });

  test("an embedded database set up with its generated secrets.key refuses a different SECRETS_KEY", async () => {
    const sub = mkdtempSync(join(dir, "gen-"));
    const dbUrl = `file:${join(sub, "db.sqlite")}`;
    await stop(await start({ DATABASE_URL: dbUrl }));
    const err = await start({ DATABASE_URL: dbUrl, SECRETS_KEY: KEY_B }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain("SECRETS_KEY");
    await stop(await start({ DATABASE_URL: dbUrl })); // the file's key still works
  });
});
