import { and, asc, eq } from "drizzle-orm";
import type { AppContext } from "../context";
import { auditLog } from "../db/schema";
import type { Attributes } from "./attributes";
import type { Board } from "./board";

/** The parts of a program a past board shows, as `program.updated` audit rows record them (before / after). */
interface Snapshot { name: string; status: "active" | "paused"; attributes: Attributes }

/**
 * Program name, status and attributes as they were at `at`, rebuilt from the
 * append-only audit trail (every program change is one `program.updated` row
 * with the program before and after): the `after` of the last change by then,
 * else the `before` of the first change after it, else the program as it is.
 */
export async function programsAsOf(ctx: Pick<AppContext, "db">, board: Board): Promise<Board> {
  const rows = await ctx.db.select({ entityId: auditLog.entityId, at: auditLog.at, data: auditLog.data }).from(auditLog)
    .where(and(eq(auditLog.entityType, "program"), eq(auditLog.action, "program.updated")))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  const then = new Map<string, Snapshot>();
  for (const r of rows) {
    const data = JSON.parse(r.data ?? "{}") as { before?: Snapshot; after?: Snapshot };
    const snap = r.at <= board.at ? data.after : then.has(r.entityId) ? undefined : data.before;
    if (snap) then.set(r.entityId, { name: snap.name, status: snap.status, attributes: snap.attributes ?? {} });
  }
  return {
    ...board,
    programs: board.programs.map((p) => {
      const s = then.get(p.id);
      return s ? { ...p, name: s.name, status: s.status, attributes: s.attributes, statusNow: p.status } : { ...p, statusNow: p.status };
    }),
  };
}
