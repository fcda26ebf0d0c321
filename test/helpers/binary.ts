// The compiled binary for black-box tests: build it when its inputs changed, free ports, stream capture.
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
export const BINARY = join(ROOT, "dist", "lastclick");
const INPUTS = ["src", "views", "public", "drizzle", "scripts/build.ts", "package.json", "package-lock.json"];

/** Newest modification time among the files the binary is built from. */
function newestInput(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestInput(join(path, name))));
}

/** Builds dist/lastclick unless it is newer than every input (keeps CI fast). */
export async function ensureBinary(): Promise<void> {
  const newest = Math.max(...INPUTS.map((p) => newestInput(join(ROOT, p))));
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs > newest) return;
  const build = Bun.spawn([process.execPath, "scripts/build.ts"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(build.stdout).text(), new Response(build.stderr).text(), build.exited]);
  if (code !== 0) throw new Error(`build failed (${code}):\n${out}\n${err}`);
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/** Collects a stream's text as it arrives; waitFor resolves when a pattern shows up. */
export function collect(stream: ReadableStream<Uint8Array>) {
  let text = "";
  const waiters: { re: RegExp; ok: (m: RegExpMatchArray) => void }[] = [];
  const done = (async () => {
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      text += decoder.decode(r.value, { stream: true });
      for (const w of [...waiters]) {
        const m = text.match(w.re);
        if (m) { waiters.splice(waiters.indexOf(w), 1); w.ok(m); }
      }
    }
  })();
  return {
    get text() { return text; },
    done,
    waitFor(re: RegExp, ms: number): Promise<RegExpMatchArray> {
      const m = text.match(re);
      if (m) return Promise.resolve(m);
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`timed out after ${ms} ms waiting for ${re}; output so far:\n${text}`)), ms);
        waiters.push({ re, ok: (m) => { clearTimeout(timer); ok(m); } });
      });
    },
  };
}

