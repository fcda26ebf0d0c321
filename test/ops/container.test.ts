// The README's Docker section, run with podman as a user would: build the image from the
// Dockerfile, a bind mount it may not write, first start on a named volume, /readyz and /login from the host, the HEALTHCHECK,
// `token create` and `backup` in their own containers, a stop that writes what it buffered and
// exits 0 (a stop past its 8 s deadline exits 1, SIGKILL 137), and a restart that keeps the data
// (the click taken before the stop credits a conversion after it).
//
// Opt-in (a build and several containers, ~1-3 min): LASTCLICK_CONTAINER_TEST=1 npx bun test test/ops/container.test.ts
// It needs podman and the two base images (pulled, or local stand-ins from
// scripts/container-standins.sh on a machine without registry access); otherwise it is
// skipped with the reason printed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createClient } from "@libsql/client";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../helpers/binary";

const ROOT = resolve(import.meta.dir, "../..");
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const bunVersion = readFileSync(join(ROOT, "Dockerfile"), "utf8").match(/^ARG BUN_VERSION=(\S+)$/m)!;
const BASE_IMAGES = [`docker.io/oven/bun:${bunVersion[1]}`, "gcr.io/distroless/cc-debian12:nonroot"];

type Run = { code: number; out: string; err: string };
function podman(args: string[], timeoutMs = 60_000): Run {
  const r = Bun.spawnSync(["podman", ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  return { code: r.exitCode ?? -1, out: r.stdout.toString(), err: r.stderr.toString() };
}
const ok = (r: Run) => { if (r.code !== 0) throw new Error(`podman exited ${r.code}:\n${r.out}\n${r.err}`); return r.out; };

function skipReason(): string | null {
  if (process.env.LASTCLICK_CONTAINER_TEST !== "1") return "opt-in: set LASTCLICK_CONTAINER_TEST=1";
  if (!Bun.which("podman")) return "podman is not installed";
  const missing = BASE_IMAGES.filter((image) => podman(["image", "exists", image]).code !== 0);
  if (missing.length) return `base image(s) ${missing.join(", ")} not present: podman pull them, or build stand-ins with scripts/container-standins.sh`;
  return null;
}

/**
 * The extra run flags this host needs, found by trying: none on an ordinary host; in a nested
 * container with hybrid cgroups crun refuses (--runtime runc) and runc cannot raise the default
 * rlimits (explicit lower --ulimit). The README shows the same flags.
 */
function hostFlags(): string[] {
  const candidates = [[], ["--runtime", "runc"], ["--runtime", "runc", "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"]];
  for (const flags of candidates) if (podman(["run", "--rm", ...flags, BASE_IMAGES[0]!, "bun", "--version"]).code === 0) return flags;
  throw new Error(`podman cannot run a container here, even with ${candidates.at(-1)!.join(" ")}`);
}

const reason = skipReason();
if (reason) {
  console.warn(`[skip] container test: ${reason}`);
  test.skip(`container test (${reason})`, () => {});
} else {
  const id = `lastclick-ctest-${process.pid}`;
  const image = "localhost/lastclick-container-test";
  let flags: string[] = [];
  let port = 0;
  let base = "";
  let backupDir = "";
  const run = (...args: string[]) => ["run", ...flags, "-v", `${id}:/data`, ...args];
  const start = () => ok(podman(run("-d", "--name", id, "-p", `127.0.0.1:${port}:8080`, "--stop-timeout", "30", "-e", "CLICK_FLUSH_MS=10000", "-e", "SCHEDULER=off", image)));
  const logs = () => { const r = podman(["logs", id]); return r.out + r.err; };
  async function waitReady(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${base}/readyz`).catch(() => null);
      if (res?.status === 200) return;
      await Bun.sleep(200);
    }
    throw new Error(`never ready on ${base}; logs:\n${logs()}`);
  }
  /** podman stop with the grace period given at run (--stop-timeout 30); the container's exit code. */
  function stop(): number {
    const t0 = performance.now();
    ok(podman(["stop", id], 60_000));
    console.log(`podman stop: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return Number(ok(podman(["inspect", id, "--format", "{{.State.ExitCode}}"])).trim());
  }

  beforeAll(() => {
    flags = hostFlags();
    console.log(`podman flags for this host: ${flags.join(" ") || "(none)"}`);
    backupDir = mkdtempSync(join(tmpdir(), "lastclick-ctest-"));
  });
  afterAll(() => {
    podman(["rm", "-f", "-t", "0", id]);
    podman(["volume", "rm", "-f", id]);
    if (backupDir) rmSync(backupDir, { recursive: true, force: true });
  });

  describe("the image, as the README runs it", () => {
    let token = "";
    let click = "";
    let programId = "";
    let brandKey = "";
    let slug = "";

    test("podman build --format docker keeps the HEALTHCHECK, SIGTERM, the nonroot user, and no shell", () => {
      ok(podman(["build", ...flags, "--format", "docker", "-t", image, "."], 300_000));
      const [{ Config: config, Healthcheck: health }] = JSON.parse(ok(podman(["image", "inspect", image])));
      // Podman's default OCI format would drop it (with only a warning): hence --format docker.
      expect(health.Test).toEqual(["CMD", "/usr/local/bin/lastclick", "health"]);
      expect(config.StopSignal).toBe("SIGTERM");
      expect(config.User).toBe("65532:65532");
      expect(config.Entrypoint).toEqual(["/usr/local/bin/lastclick"]);
      const shell = podman(["run", "--rm", ...flags, "--entrypoint", "/bin/sh", image, "-c", "true"]);
      expect(shell.code).not.toBe(0);
    }, 320_000);

    test("a bind mount that uid 65532 may not write: one line with the fix, exit 2", () => {
      const r = podman(["run", "--rm", ...flags, "-v", `${backupDir}:/data`, image]);
      expect(r.code, r.out + r.err).toBe(2);
      expect(r.err).toContain("the data folder /data must be writable by this process (uid 65532); for a container's bind mount, chown 65532:65532 the host folder");
    }, 60_000);

    test("first start: admin token and sign-in steps printed, /readyz and /login answer, healthy", async () => {
      port = await freePort();
      base = `http://127.0.0.1:${port}`;
      start();
      await waitReady();
      const first = logs();
      expect(first).toContain("lastclick user create --email you@example.com --role admin");
      token = first.match(/First start: created an admin API token[^\n]*\n\s*(lc_admin_\S+)/)?.[1] ?? "";
      expect(token, first).toStartWith("lc_admin_");
      expect((await fetch(`${base}/login`)).status).toBe(200);
      const health = podman(["healthcheck", "run", id]);
      expect(health.code, health.out + health.err).toBe(0);
      expect(ok(podman(["inspect", id, "--format", "{{.State.Health.Status}}"])).trim()).toBe("healthy");
    }, 60_000);

    test("user create in the running container, token create in its own", async () => {
      const invite = ok(podman(["exec", id, "lastclick", "user", "create", "--email", "ops@example.com", "--role", "admin"]));
      const link = invite.match(/http:\/\/localhost:8080(\/invite\/\S+)/)?.[1];
      expect(link, invite).toBeTruthy();
      expect((await fetch(`${base}${link}`)).status).toBe(200);
      const minted = ok(podman(run("--rm", image, "token", "create", "--name", "ops")));
      const opsToken = minted.match(/lc_admin_\S+/)?.[0];
      const res = await fetch(`${base}/api/admin/brands`, { headers: { authorization: `Bearer ${opsToken}` } });
      expect(res.status).toBe(200);
    }, 60_000);

    test("an online backup into a host folder, then a click", async () => {
      const admin = async (path: string, body: unknown) => {
        const res = await fetch(`${base}${path}`, {
          method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body),
        });
        const json = (await res.json()) as Record<string, any>;
        if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
        return json;
      };
      const brand = await admin("/api/admin/brands", { name: "Container Outdoor" });
      brandKey = (await admin(`/api/admin/brands/${brand.id}/api-keys`, { mode: "live" })).key;
      const program = await admin("/api/admin/programs", {
        brand_id: brand.id, name: "Container Tents", dest_url: "https://shop.example/tents",
        commission_type: "flat_cpa", commission_value: "5.00", currency: "USD",
      });
      programId = program.id;
      const publisher = await admin("/api/admin/publishers", { name: "Dock Blog", email: "dock@example.com" });
      const approval = await admin("/api/admin/approvals", { program_id: program.id, publisher_id: publisher.id });
      slug = approval.slug;

      ok(podman(run("--rm", "--user", "0", "-v", `${backupDir}:/backup`, image, "backup", "--to", "/backup/lastclick.db")));
      const copy = createClient({ url: `file:${join(backupDir, "lastclick.db")}` });
      try {
        const names = (await copy.execute("SELECT name FROM programs")).rows.map((r) => r.name);
        expect(names).toEqual(["Container Tents"]);
      } finally {
        copy.close();
      }
      // The click last, so that it is most likely still in the buffer (CLICK_FLUSH_MS=10000) when the stop comes.
      const res = await fetch(`${base}/go/${slug}`, { redirect: "manual", headers: { "user-agent": BROWSER_UA } });
      expect(res.status).toBe(302);
      click = new URL(res.headers.get("location")!).searchParams.get("lc_click") ?? "";
      expect(click).toBeTruthy();
    }, 60_000);

    test("podman stop writes the buffered click and exits 0; a restart keeps the data and credits it", async () => {
      expect(stop(), logs()).toBe(0);
      const flushed = logs().match(/SIGTERM: flushing \d+ buffered clicks and stopping/)?.[0];
      expect(flushed, logs()).toBeTruthy();
      console.log(flushed);

      ok(podman(["rm", id]));
      start();
      await waitReady();
      expect(logs()).not.toContain("First start");
      const conv = await fetch(`${base}/api/conv`, {
        method: "POST",
        headers: { authorization: `Bearer ${brandKey}`, "content-type": "application/json" },
        body: JSON.stringify({ program_id: programId, brand_order_ref: "order-1", order_value: "20.00", order_currency: "USD", lc_click: click }),
      });
      const body = (await conv.json()) as Record<string, any>;
      expect(conv.status, JSON.stringify(body)).toBe(200);
      expect(body.conversion.attributed).toBe(true);
      expect(stop(), logs()).toBe(0);
    }, 90_000);
  });
}
