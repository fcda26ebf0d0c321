import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient } from "@libsql/client";
import { JOBS, type Job } from "../../src/scheduler/jobs";
import { releaseLease, takeLease } from "../../src/scheduler/lease";
import { startScheduler } from "../../src/scheduler/runner";
import { makeTestApp, type TestApp } from "../helpers/app";

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(() => t.close());

test("a lease row: one holder at a time, taken over only once expired, renewable by its holder", async () => {
  const c = t.ctx.client;
  expect(await takeLease(c, "job-a", "one", 1000, 500)).toBe(true);
  expect(await takeLease(c, "job-a", "two", 1200, 500)).toBe(false);
  expect(await takeLease(c, "job-a", "one", 1200, 500)).toBe(true); // renew
  expect(await takeLease(c, "job-a", "two", 1699, 500)).toBe(false);
  expect(await takeLease(c, "job-a", "two", 1700, 500)).toBe(true); // expired: taken over
  await releaseLease(c, "job-a", "one"); // not the holder: no effect
  expect(await takeLease(c, "job-a", "one", 1800, 500)).toBe(false);
  await releaseLease(c, "job-a", "two");
  expect(await takeLease(c, "job-a", "one", 1800, 500)).toBe(true);
});

test("two instances on one database: a leased job runs on one of them at a time", async () => {
  // A second instance = another connection to the same file, another holder id.
  const other = createClient({ url: `file:${t.dir}/test.db`, timeout: 5000 });
  let runs = 0;
  const slow: Job = { name: "lease-probe", schedule: "0 0 1 1 *", run: async () => { runs++; await Bun.sleep(150); return { done: 1, alreadyDone: 0, failures: 0 }; } };
  const a = startScheduler(t.ctx, [slow], "instance-a");
  const b = startScheduler({ ...t.ctx, client: other }, [slow], "instance-b");
  await Promise.all([a.stop(), b.stop()]);
  expect(runs).toBe(1);
  // Once released, the next run (either instance) may take it.
  const c = startScheduler(t.ctx, [slow], "instance-c");
  await c.stop();
  expect(runs).toBe(2);
  other.close();
});

test("the monthly close is in the one list of schedules, leased, on the 1st", () => {
  const close = JOBS.find((j) => j.name === "monthly-close")!;
  expect(close.schedule).toBe("5 0 1 * *");
  expect(close.lease).toBeUndefined();
});
