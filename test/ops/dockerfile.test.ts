// The Dockerfile's promises, read from the file (fast, always run). test/ops/container.test.ts
// builds and runs the image with podman (opt-in: LASTCLICK_CONTAINER_TEST=1).
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { STOP_DEADLINE_MS } from "../../src/lifecycle";

const dockerfile = readFileSync(join(resolve(import.meta.dir, "../.."), "Dockerfile"), "utf8");
const instructions = dockerfile.split("\n").filter((l) => /^[A-Z]+\s/.test(l));

test("every base image names its registry, so podman and buildah build it without a short-name alias", () => {
  const froms = instructions.filter((l) => l.startsWith("FROM "));
  expect(froms.length).toBe(2);
  for (const from of froms) expect(from).toMatch(/^FROM (docker\.io|gcr\.io)\//);
});

test("the binary is PID 1, gets SIGTERM, answers the HEALTHCHECK itself, and its stop fits the grace period", () => {
  expect(instructions).toContain("STOPSIGNAL SIGTERM");
  expect(instructions).toContain(`ENTRYPOINT ["/usr/local/bin/lastclick"]`);
  expect(instructions.find((l) => l.startsWith("HEALTHCHECK "))).toEndWith(`CMD ["/usr/local/bin/lastclick", "health"]`);
  expect(dockerfile).toContain("stop_grace_period: 30s");
  // The stop's own deadline plus its backstop stays under the 10 s default, far under the 30 s asked for.
  expect(STOP_DEADLINE_MS + 1_500).toBeLessThan(10_000);
});
