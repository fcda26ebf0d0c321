import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { hashPassword, verifyPassword } from "../src/auth/passwords";

// Passwords under Deno (no Bun.password: @node-rs/argon2) and under Bun verify each other's hashes,
// so a database moved between the two runtimes keeps every login.
const ROOT = resolve(import.meta.dir, "..");

test("a Deno-made argon2id hash verifies on Bun, and a Bun-made one on Deno", async () => {
  const local = join(ROOT, "node_modules/.bin/deno");
  const deno = existsSync(local) ? local : Bun.which("deno");
  if (!deno) throw new Error("deno binary not found: run `npm install` (devDependency `deno`)");
  const bunHash = await hashPassword("bun made this one");
  const script = `import { hashPassword, verifyPassword } from ${JSON.stringify(join(ROOT, "src/auth/passwords.ts"))};
console.log(JSON.stringify({ hash: await hashPassword("deno made this one"), bunOk: await verifyPassword("bun made this one", ${JSON.stringify(bunHash)}), bunWrong: await verifyPassword("nope", ${JSON.stringify(bunHash)}), bunGlobal: typeof (globalThis as any).Bun }));`;
  const proc = Bun.spawn([deno, "eval", "--ext=ts", "--node-modules-dir=manual", script], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  expect(code, err).toBe(0);
  const r = JSON.parse(out.trim().split("\n").pop()!) as { hash: string; bunOk: boolean; bunWrong: boolean; bunGlobal: string };
  expect(r).toMatchObject({ bunOk: true, bunWrong: false, bunGlobal: "undefined" });
  expect(r.hash).toStartWith("$argon2id$v=19$m=65536,t=2,p=1$");
  expect(await verifyPassword("deno made this one", r.hash)).toBe(true);
  expect(await verifyPassword("deno made this on", r.hash)).toBe(false);
}, 60_000);
