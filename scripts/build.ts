// Builds dist/lastclick: one executable (Bun runtime + app + migrations + CSS +
// DB-IP country database + libSQL native library) that runs from an empty folder.
//
//   bun run build                          # for this machine (linux x64 gnu or musl)
//   bun run build --target linux-x64-musl  # another linux target; its @libsql/* package must be installed
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { BunPlugin } from "bun";

const ROOT = resolve(import.meta.dir, "..");
const OUTFILE = join(ROOT, "dist", "lastclick");

/** "linux-x64-gnu" style name, shared by Bun's compile targets and libSQL's prebuilt packages. */
function hostTarget(): string {
  if (process.platform !== "linux") throw new Error(`only linux builds are supported (this is ${process.platform})`);
  const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime;
  return `linux-${process.arch}-${glibc ? "gnu" : "musl"}`;
}

function parseTarget(argv: string[]): string {
  const i = argv.findIndex((a) => a === "--target" || a.startsWith("--target="));
  if (i < 0) return hostTarget();
  const t = argv[i]!.includes("=") ? argv[i]!.split("=")[1]! : argv[i + 1];
  if (!t || !/^linux-(x64|arm64)-(gnu|musl)$/.test(t)) throw new Error(`--target must be linux-{x64,arm64}-{gnu,musl}, got ${t}`);
  return t;
}

/**
 * libsql picks its native package at run time with require(`@libsql/${target}`),
 * which the bundler cannot follow, so the compiled binary cannot find it. Rewrite
 * that one call into a static require of the .node file, which Bun embeds.
 */
function libsqlNative(target: string): BunPlugin {
  const pkg = `@libsql/${target}`;
  const nodeFile = join(ROOT, "node_modules", pkg, "index.node");
  if (!existsSync(nodeFile)) throw new Error(`${pkg} is not installed (${nodeFile} missing); run bun install on a ${target} machine`);
  return {
    name: "libsql-static-native",
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]libsql[\\/]index\.js$/ }, async ({ path }) => {
        const src = await Bun.file(path).text();
        const dynamic = /require\(`@libsql\/\$\{target\}`\)/;
        if (!dynamic.test(src)) throw new Error(`libsql-static-native: the dynamic require was not found in ${path}; libsql changed, update scripts/build.ts`);
        return { contents: src.replace(dynamic, `require(${JSON.stringify(`${pkg}/index.node`)})`), loader: "js" };
      });
    },
  };
}

/** The binary migrates from src/db/migrations.gen.ts; refuse to ship it stale. */
async function checkMigrationsEmbedded(): Promise<void> {
  const journal = JSON.parse(readFileSync(join(ROOT, "drizzle/meta/_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
  const { MIGRATIONS } = await import("../src/db/migrations.gen");
  const stale = journal.entries.length !== MIGRATIONS.length || journal.entries.some((e, i) => {
    const m = MIGRATIONS[i];
    return !m || m.tag !== e.tag || m.when !== e.when || m.sql !== readFileSync(join(ROOT, `drizzle/${e.tag}.sql`), "utf8");
  });
  if (stale) throw new Error("src/db/migrations.gen.ts does not match drizzle/; run `bun scripts/gen-migrations.ts`");
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const target = parseTarget(process.argv.slice(2));
  const cross = target !== hostTarget();
  const started = performance.now();
  await checkMigrationsEmbedded();
  mkdirSync(dirname(OUTFILE), { recursive: true });
  const result = await Bun.build({
    // The click writer and the commit thread run in Workers; each must be its own entry point to be embedded.
    entrypoints: [join(ROOT, "src/cli.ts"), join(ROOT, "src/tracking/click-writer.worker.ts"), join(ROOT, "src/db/commit.worker.ts")],
    target: "bun",
    minify: true,
    sourcemap: "linked",
    plugins: [libsqlNative(target)],
    compile: {
      // Same platform: reuse the running Bun (no download). Otherwise Bun fetches that runtime.
      ...(cross ? { target: `bun-${target.replace(/-gnu$/, "")}` as Bun.Build.CompileTarget } : {}),
      outfile: OUTFILE,
      // Behave the same whatever folder it is started in: configuration comes
      // from the environment and flags only.
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error("build failed");
  }
  for (const log of result.logs) console.warn(log);
  // The source map is embedded in the executable (zstd); the copy beside it is not needed.
  rmSync(`${OUTFILE}.map`, { force: true });
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`built ${OUTFILE} for ${target}: ${mb(statSync(OUTFILE).size)} in ${secs} s`);
}

await main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
