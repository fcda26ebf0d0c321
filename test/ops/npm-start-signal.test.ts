// `npm start` runs its script through sh; SIGTERM to npm must reach the server (which then flushes
// and exits), not orphan it. The script uses `exec` so the server replaces the shell.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
const dir = mkdtempSync(join(tmpdir(), "lastclick-npm-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("SIGTERM to `npm start` stops the server gracefully", async () => {
  const proc = Bun.spawn(["npm", "start", "--silent"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, DATABASE_URL: `file:${join(dir, "db.sqlite")}`, PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", LOG_REQUESTS: "off" },
    stdout: "pipe", stderr: "pipe",
  });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let text = "";
  const deadline = Date.now() + 30_000;
  while (!/listening on (http:\/\/[\d.:]+)/.test(text) && Date.now() < deadline) {
    const r = await reader.read();
    if (r.done) break;
    text += new TextDecoder().decode(r.value);
  }
  const url = text.match(/listening on (http:\/\/[\d.:]+)/)?.[1];
  expect(url).toBeDefined();
  expect((await fetch(`${url}/healthz`)).status).toBe(200);

  // npm's children (the shell, or the server once it has exec'd): none may outlive the stop.
  const children = (await new Response(Bun.spawn(["pgrep", "-P", String(proc.pid)]).stdout).text()).split("\n").filter(Boolean).map(Number);
  proc.kill("SIGTERM");
  try {
    const drained = (async () => { for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value); })();
    await Promise.race([drained, new Promise((r) => setTimeout(r, 15_000))]);
    await proc.exited;
    expect(text).toContain("SIGTERM: flushing");
    // Nothing is left listening: the server itself stopped, it was not orphaned.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  } finally {
    for (const pid of children) try { process.kill(pid, "SIGKILL"); } catch { /* already gone */ }
  }
}, 60_000);
