import { describe, expect, test } from "bun:test";
import { VerifiedMemory } from "./verified-memory";

const integrations = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `i${String(i).padStart(2, "0")}`, createdAt: i }));
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe("VerifiedMemory (what a limited source's webhook is checked against)", () => {
  test("few integrations: all of them; many: at most `checks`, this source's successes first, then anyone's", () => {
    const m = new VerifiedMemory({ checks: 4 });
    const all = integrations(10);
    expect(ids(m.pick("refersion", "p", all.slice(0, 4)))).toEqual(["i00", "i01", "i02", "i03"]);
    m.record("refersion", "elsewhere", "i03");
    m.record("refersion", "p", "i05");
    m.record("refersion", "elsewhere", "i01");
    const picked = ids(m.pick("refersion", "p", all));
    expect(picked).toHaveLength(4);
    expect(picked.slice(0, 2)).toEqual(["i05", "i01"]); // from this source, then the most recent anywhere
    expect(picked[2]).toBe("i09"); // the newest never seen verifying
    expect(m.pick("shopify", "p", all)).toHaveLength(4); // providers are remembered apart
  });

  test("the round robin reaches every integration within a bounded number of picks", () => {
    const m = new VerifiedMemory({ checks: 3 });
    const all = integrations(20);
    const reached = new Set<string>();
    for (let i = 0; i < 20; i++) for (const id of ids(m.pick("refersion", null, all))) reached.add(id);
    expect(reached.size).toBe(20);
  });

  test("memory is bounded: per source lists, sources and integrations per provider", () => {
    const m = new VerifiedMemory({ checks: 3, maxSources: 2, maxPerProvider: 2 });
    for (const id of ["a", "b", "c", "d"]) m.record("refersion", "s1", id);
    m.record("refersion", "s2", "e");
    m.record("refersion", "s3", "f"); // s1 forgotten
    const all = ["a", "b", "c", "d", "e", "f", "g", "h"].map((id, i) => ({ id, createdAt: i }));
    // s1 remembers nothing now; anyone's recent successes are only the last two (f, e).
    expect(ids(m.pick("refersion", "s1", all))[0]).toBe("f");
    expect(ids(m.pick("refersion", "s3", all)).slice(0, 1)).toEqual(["f"]);
  });
});
