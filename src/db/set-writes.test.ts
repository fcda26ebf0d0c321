import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createClient, type Client } from "@libsql/client";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "./migrate";
import { changes } from "./schema";
import { insertRowWhen, SET_ROW_MAX_CHARS, type RowGuard } from "./insert-sql";
import { planBatch, type UnitStatement } from "./set-writes";
import { WriteQueue } from "./write-queue";

const setStmt = (table: string, key: string): UnitStatement =>
  ({ sql: `INSERT INTO ${table} VALUES (?)`, args: [key], each: { sql: `SET ${table}`, row: [key], key } });
const plainStmt = (n: number): UnitStatement => ({ sql: `UPDATE t SET n = ?`, args: [n] });
const result = (rowsAffected: number, keys: string[] = []) => ({ rowsAffected, rows: keys.map((k) => [k]) });

describe("planBatch", () => {
  test("units with the same set forms become one statement per position, at the first one's place; others keep theirs", () => {
    const plan = planBatch([
      [setStmt("a", "k1"), setStmt("b", "k1")],
      [plainStmt(1)],
      [setStmt("a", "k2"), setStmt("b", "k2")],
      [setStmt("a", "k3"), setStmt("b", "k3")],
    ]);
    expect(plan.merged).toBe(3);
    expect(plan.statements).toEqual([
      { sql: "SET a", args: [JSON.stringify([["k1"], ["k2"], ["k3"]])] },
      { sql: "SET b", args: [JSON.stringify([["k1"], ["k2"], ["k3"]])] },
      { sql: "UPDATE t SET n = ?", args: [1] },
    ]);
    // Each set unit gets the rows its key came back for; the plain unit its own rowsAffected.
    expect(plan.changes([result(2, ["k1", "k3"]), result(4, ["k1", "k2", "k3", "k3"]), result(7)]))
      .toEqual([[1, 1], [7], [0, 1], [1, 2]]);
  });

  test("a set of one, a unit with any plain statement, and a key already in the set are written plainly", () => {
    const plan = planBatch([
      [setStmt("a", "k1")],
      [setStmt("a", "k1")], // the same key: its count could not be told apart
      [setStmt("b", "k9"), plainStmt(2)],
      [setStmt("c", "k5")],
    ]);
    expect(plan.merged).toBe(0);
    expect(plan.statements).toEqual([
      { sql: "INSERT INTO a VALUES (?)", args: ["k1"] },
      { sql: "INSERT INTO a VALUES (?)", args: ["k1"] },
      { sql: "INSERT INTO b VALUES (?)", args: ["k9"] },
      { sql: "UPDATE t SET n = ?", args: [2] },
      { sql: "INSERT INTO c VALUES (?)", args: ["k5"] },
    ]);
    expect(plan.changes([result(1), result(0), result(1), result(3), result(1)])).toEqual([[1], [0], [1, 3], [1]]);
  });
});

describe("set writes on a real database", () => {
  let dir: string;
  let client: Client;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "lastclick-sets-"));
    client = createClient({ url: `file:${join(dir, "db.sqlite")}` });
    await migrate(client);
  });
  afterAll(() => { client.close(); rmSync(dir, { recursive: true, force: true }); });

  // A change row written only when its "parent" change row exists: the shape of a postback's rows.
  const parentExists = (id: string): RowGuard => ({ condition: (ref) => `EXISTS (SELECT 1 FROM changes WHERE entity_id = ${ref} AND kind = 'parent')`, value: id });
  const unit = (id: string, opts: { kind?: string | null; payload?: string | null } = {}): UnitStatement[] => [
    insertRowWhen(changes, { at: 1, kind: "parent", entityId: id, origin: "t", payload: null }, { key: "entityId" }),
    insertRowWhen(changes, { at: 2, kind: opts.kind as string, entityId: `${id}:child`, origin: "t", payload: opts.payload ?? null, programId: id }, { key: "entityId", when: parentExists(id) }),
  ];
  const rows = async (like: string) =>
    (await client.execute({ sql: "SELECT entity_id, kind, at, typeof(at) t_at, payload, program_id FROM changes WHERE entity_id LIKE ? ORDER BY seq", args: [like] })).rows
      .map((r) => ({ entity_id: r[0], kind: r[1], at: r[2], t_at: r[3], payload: r[4], program_id: r[5] }));

  test("a group of units written as sets stores exactly what the plain statements store, value types included", async () => {
    const queue = new WriteQueue(client);
    const odd = `{"quote":"\\"", "emoji":"😀", "nul":"a\\u0000b"}`;
    // The first goes alone (plainly); the other three queue behind it and are written as sets.
    const results = await Promise.all(["p0", "s1", "s2", "s3"].map((id) => queue.run(unit(id, { kind: "child", payload: id === "s2" ? odd : null }))));
    expect(results).toEqual(Array(4).fill([{ rowsAffected: 1 }, { rowsAffected: 1 }]));
    expect(queue.stats).toEqual({ commits: 2, units: 4, setUnits: 3 });
    const named = (id: string) => async () => (await rows(`${id}%`)).map((r) => JSON.stringify(r).replaceAll(id, "ID"));
    expect(await named("s1")()).toEqual(await named("p0")());
    expect(await named("s1")()).toEqual([
      JSON.stringify({ entity_id: "ID", kind: "parent", at: 1, t_at: "integer", payload: null, program_id: null }),
      JSON.stringify({ entity_id: "ID:child", kind: "child", at: 2, t_at: "integer", payload: null, program_id: "ID" }),
    ]);
    expect((await rows("s2:child"))[0]!.payload).toBe(odd);
    await queue.close();
  });

  test("a guard that fails writes nothing for that unit alone, and its count says so", async () => {
    const queue = new WriteQueue(client);
    const guardOnOther = (id: string): UnitStatement[] => [unit(id)[0]!, insertRowWhen(changes, { at: 2, kind: "child", entityId: `${id}:child`, origin: "t", payload: null }, { key: "entityId", when: parentExists(`${id}-missing`) })];
    const [first, ...group] = await Promise.all([queue.run(unit("g0", { kind: "child" })), queue.run(guardOnOther("g2")), queue.run(unit("g3", { kind: "child" }))]);
    expect(first).toEqual([{ rowsAffected: 1 }, { rowsAffected: 1 }]);
    expect(group).toEqual([[{ rowsAffected: 1 }, { rowsAffected: 0 }], [{ rowsAffected: 1 }, { rowsAffected: 1 }]]);
    expect((await rows("g2%")).map((r) => r.entity_id)).toEqual(["g2"]);
    expect(queue.setFallbacks).toBe(0);
    await queue.close();
  });

  test("a unit that fails inside a set fails alone: the group is written again plainly and the rest commit", async () => {
    const queue = new WriteQueue(client);
    const runs = [queue.run(unit("f0", { kind: "child" })), queue.run(unit("f1", { kind: "child" })), queue.run(unit("bad", { kind: null })), queue.run(unit("f3", { kind: "child" }))];
    const settled = await Promise.allSettled(runs);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(String((settled[2] as PromiseRejectedResult).reason)).toContain("NOT NULL");
    expect(queue.setFallbacks).toBe(1);
    expect(await rows("bad%")).toEqual([]); // not even its first statement
    expect((await rows("f%")).map((r) => r.entity_id)).toEqual(["f0", "f0:child", "f1", "f1:child", "f3", "f3:child"]);
    await queue.close();
  });

  test("a value JSON cannot carry exactly (a bigint, a lone surrogate) or a big row keeps the statement plain", () => {
    const plainOnly = (row: Partial<typeof changes.$inferInsert>) =>
      !("each" in (insertRowWhen(changes, { at: 1, kind: "k", entityId: "e", origin: "t", payload: null, ...row }, { key: "entityId" }) as object));
    expect(plainOnly({ seq: 5n as unknown as number })).toBe(true);
    expect(plainOnly({ payload: "half a pair: \ud800" })).toBe(true);
    expect(plainOnly({ payload: "x".repeat(SET_ROW_MAX_CHARS) })).toBe(true);
    expect(plainOnly({ payload: "a whole pair: 😀" })).toBe(false);
    const ok = insertRowWhen(changes, { at: 1, kind: "k", entityId: "e", origin: "t", payload: null }, { key: "entityId" });
    expect((ok as { each?: { key: string } }).each?.key).toBe("e");
  });

  test("a server that cannot run a set statement (plain ones succeed) gets plain statements from then on", async () => {
    const queue = new WriteQueue(client);
    const broken = (id: string): UnitStatement[] => unit(id, { kind: "child" }).map((st) => {
      const x = st as { sql: string; args: never[]; each: { sql: string } };
      return { ...x, each: { ...x.each, sql: x.each.sql.replace("json_each(?)", "json_each_missing(?)") } };
    });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => { errors.push(a.join(" ")); };
    try {
      const first = await Promise.all(["b0", "b1", "b2"].map((id) => queue.run(broken(id))));
      expect(first).toEqual(Array(3).fill([{ rowsAffected: 1 }, { rowsAffected: 1 }]));
      expect(queue.setFallbacks).toBe(1);
      await Promise.all(["b3", "b4", "b5"].map((id) => queue.run(broken(id))));
      expect(queue.setFallbacks).toBe(1); // not tried again
      expect(queue.stats.setUnits).toBe(0);
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("writing statement by statement from now on");
    expect((await rows("b%")).length).toBe(12);
    await queue.close();
  });

  test("a lingering queue still commits a unit no other joins, and closes while lingering", async () => {
    const queue = new WriteQueue(client, { lingerMs: 1000 });
    await Promise.all(["l0", "l1", "l2"].map((id) => queue.run(unit(id, { kind: "child" })))); // the last commit now carried two
    expect(await queue.run(unit("l3", { kind: "child" }))).toEqual([{ rowsAffected: 1 }, { rowsAffected: 1 }]);
    const late = queue.run(unit("l4", { kind: "child" }));
    await queue.close();
    expect(await late).toEqual([{ rowsAffected: 1 }, { rowsAffected: 1 }]);
    expect((await rows("l%")).length).toBe(10);
  });
});
