import Database from "libsql";
import type { ConversionClick } from "../conversions/find-click";

/**
 * Point reads on the postback path through one kept-prepared statement on a
 * direct connection to the embedded file. @libsql/client re-prepares every
 * statement on every call, which was a quarter of a postback's CPU.
 * Only for a local file; a libSQL server goes through the client.
 */
export class LocalReads {
  private db: InstanceType<typeof Database>;
  private clickStmt: ReturnType<InstanceType<typeof Database>["prepare"]>;
  private orderTestStmt: ReturnType<InstanceType<typeof Database>["prepare"]>;

  constructor(path: string, timeoutMs = 5000) {
    this.db = new Database(path, { timeout: timeoutMs } as never);
    this.clickStmt = this.db.prepare(
      "SELECT id, program_id, publisher_id, created_at, is_bot, ref_code, sub1, sub2, sub3, sub4, sub5, smart_link_id, rubric_version FROM clicks WHERE id = ?",
    ).raw(true);
    this.orderTestStmt = this.db.prepare(
      "SELECT max(is_test = 0), max(is_test = 1) FROM conversions WHERE program_id = ? AND brand_order_ref = ?",
    ).raw(true);
  }

  /** Whether the order is on file live and/or as a test conversion (one index lookup). */
  orderOnFile(programId: string, orderRef: string): { live: boolean; test: boolean } {
    const r = this.orderTestStmt.get([programId, orderRef]) as unknown[];
    return { live: Number(r[0]) === 1, test: Number(r[1]) === 1 };
  }

  click(id: string): ConversionClick | null {
    const r = this.clickStmt.get(id) as unknown[] | undefined;
    if (!r) return null;
    return {
      id: r[0] as string, programId: r[1] as string, publisherId: r[2] as string, createdAt: Number(r[3]), isBot: Number(r[4]) === 1,
      refCode: r[5] as string | null, sub1: r[6] as string | null, sub2: r[7] as string | null, sub3: r[8] as string | null,
      sub4: r[9] as string | null, sub5: r[10] as string | null,
      smartLinkId: r[11] as string | null, rubricVersion: r[12] === null ? null : Number(r[12]),
    };
  }

  close(): void { this.db.close(); }
}
