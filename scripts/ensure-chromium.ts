// Runs before `npm test`: browser tests need Debian's chromium. Installs it when
// missing and we may (root with apt-get); otherwise says exactly what to do.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  const root = process.getuid?.() === 0;
  if (root && spawnSync("which", ["apt-get"]).status === 0) {
    console.log("Installing Debian chromium for the browser tests (apt-get)...");
    const quiet = { stdio: ["ignore", "ignore", "inherit"] as ("ignore" | "inherit")[] };
    spawnSync("apt-get", ["update"], quiet);
    const r = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { ...quiet, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (r.status !== 0) console.error("apt-get install chromium failed; browser tests will fail.");
  } else {
    console.error(`Browser tests need Chromium at ${path}: install Debian's "chromium" package or set CHROMIUM_PATH.`);
  }
}
