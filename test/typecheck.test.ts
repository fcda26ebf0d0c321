import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

// Bun runs TypeScript without checking it; the suite checks it (strict, no unused locals).
test("the whole project type-checks", () => {
  const root = join(import.meta.dir, "..");
  const r = spawnSync(join(root, "node_modules/.bin/tsc"), ["-p", "."], { cwd: root, encoding: "utf8" });
  expect(r.stdout + r.stderr).toBe("");
  expect(r.status).toBe(0);
}, 120_000);
