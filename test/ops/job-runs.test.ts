// Each scheduler run is counted in /metrics by job and outcome; a run that did something, and a
// failed one, is one log line (the failure with an id, never a stack).
import { afterAll, expect, test } from "bun:test";
import { makeTestApp } from "../helpers/app";
import { configureLog } from "../../src/ops/log";
import { startScheduler } from "../../src/scheduler/runner";

const t = await makeTestApp();
afterAll(async () => { configureLog({ format: "text", requests: false }); await t.close(); });

async function metric(series: string): Promise<number> {
  const text = await (await t.request("/metrics")).text();
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

test("job runs: counted by outcome, logged when they did work or failed, idle runs only counted", async () => {
  const out: string[] = [];
  const err: string[] = [];
  configureLog({ format: "json", requests: false, out: (l) => out.push(l), err: (l) => err.push(l) });
  const scheduler = startScheduler(t.ctx, [
    { name: "test-busy", schedule: "0 0 1 1 *", run: async () => ({ done: 3, alreadyDone: 1, failures: 0 }) },
    { name: "test-idle", schedule: "0 0 1 1 *", run: async () => ({ done: 0, alreadyDone: 0, failures: 0 }) },
    { name: "test-broken", schedule: "0 0 1 1 *", run: async () => { throw new Error("disk on fire\n    at somewhere (x.js:1:1)"); } },
  ]);
  await scheduler.stop(); // waits for the start-up run of each

  expect(await metric(`lastclick_job_runs_total{job="test-busy",outcome="ok"}`)).toBe(1);
  expect(await metric(`lastclick_job_runs_total{job="test-idle",outcome="ok"}`)).toBe(1);
  expect(await metric(`lastclick_job_runs_total{job="test-broken",outcome="failed"}`)).toBe(1);

  const info = out.map((l) => JSON.parse(l));
  expect(info).toEqual([expect.objectContaining({ level: "info", msg: "job", job: "test-busy", done: 3, alreadyDone: 1, failures: 0 })]);
  expect(err).toHaveLength(1);
  expect(err[0]!.split("\n")).toHaveLength(1);
  expect(JSON.parse(err[0]!)).toMatchObject({ level: "error", msg: "job failed", job: "test-broken", error: "Error: disk on fire at somewhere (x.js:1:1)" });
  expect(JSON.parse(err[0]!).id).toMatch(/^[0-9a-f]{12}$/);
});
