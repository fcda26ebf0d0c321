import { randomBytes } from "node:crypto";
import { eq, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { ipHashSalts } from "../db/schema";
import type { Clock } from "../shared/clock";
import type { SecretBox } from "../shared/secret-box";
import { dayNumber, dayText, hashIp, type DaySalts } from "./ip-hash";

/**
 * The daily IP-hash salts (Plausible's scheme): a random salt per UTC day,
 * stored sealed with SECRETS_KEY so instances sharing the database (and the
 * key) hash an address equally, and deleted once its day is over so the
 * day's hashes can no longer be reversed by anyone, the operator included.
 *
 * Salts are created for today and later days only (insert-or-nothing, so
 * instances agree on one); a past day's salt is used while it still exists
 * (a click accepted before midnight, written after) but never re-created.
 */
export class IpSalts {
  private known = new Map<number, string>();
  private loading = new Map<number, Promise<string | null>>();

  constructor(private db: Db, private box: SecretBox, private clock: Clock) {}

  /** The keyed hash of `ip` as of time `at` (null without an IP, or once that day's salt is gone). */
  async hash(ip: string | null, at: number): Promise<string | null> {
    if (!ip) return null;
    const salt = await this.forDay(dayNumber(at));
    return salt === null ? null : hashIp(salt, ip);
  }

  /** Salts for the days of these times (days whose salt is gone are left out). */
  async forTimes(times: Iterable<number>): Promise<DaySalts> {
    const out: DaySalts = new Map();
    for (const t of times) {
      const day = dayNumber(t);
      if (out.has(day)) continue;
      const salt = this.known.get(day) ?? (await this.forDay(day));
      if (salt !== null) out.set(day, salt);
    }
    return out;
  }

  /** What is already in memory, without the database (a stop that cannot reach it). */
  cached(times: Iterable<number>): DaySalts {
    const out: DaySalts = new Map();
    for (const t of times) {
      const salt = this.known.get(dayNumber(t));
      if (salt !== undefined) out.set(dayNumber(t), salt);
    }
    return out;
  }

  forDay(day: number): Promise<string | null> {
    const salt = this.known.get(day);
    if (salt !== undefined) return Promise.resolve(salt);
    let p = this.loading.get(day);
    if (!p) {
      p = this.load(day).finally(() => this.loading.delete(day));
      this.loading.set(day, p);
    }
    return p;
  }

  private async load(day: number): Promise<string | null> {
    if (day >= dayNumber(this.clock.now())) {
      const sealed = this.box.seal(randomBytes(32).toString("base64url"));
      await this.db.insert(ipHashSalts).values({ day: dayText(day), saltSealed: sealed, createdAt: this.clock.now() }).onConflictDoNothing();
      // Without the scheduler (rotate() below) salts older than yesterday still go, on the first hash of a day,
      // from the database and from this instance's memory.
      await this.erase(dayNumber(this.clock.now()) - 1);
    }
    const [row] = await this.db.select().from(ipHashSalts).where(eq(ipHashSalts.day, dayText(day)));
    if (!row) return null;
    const salt = this.box.open(row.saltSealed);
    this.known.set(day, salt);
    return salt;
  }

  /**
   * The daily rotation (safe to re-run, run at start and hourly): salts for
   * today and tomorrow exist (so midnight needs no database round trip), and
   * every earlier day's salt is deleted, from the database and from memory.
   */
  async rotate(): Promise<{ done: number; alreadyDone: number; failures: number }> {
    const today = dayNumber(this.clock.now());
    await this.forDay(today);
    await this.forDay(today + 1);
    const gone = await this.erase(today);
    return { done: gone, alreadyDone: gone === 0 ? 1 : 0, failures: 0 };
  }

  /**
   * Deletes the salts of days before `day`, from memory and from the database
   * so that no copy of the file keeps them: secure_delete zeroes the freed
   * bytes and a truncating checkpoint empties the WAL that held the pages
   * (both best effort: a libSQL server may refuse them, and a busy reader
   * can delay the checkpoint to the next rotation).
   */
  private async erase(day: number): Promise<number> {
    for (const d of this.known.keys()) if (d < day) this.known.delete(d);
    await this.db.run(sql`PRAGMA secure_delete = ON`).catch(() => {});
    const gone = await this.db.delete(ipHashSalts).where(lt(ipHashSalts.day, dayText(day))).returning({ day: ipHashSalts.day });
    if (gone.length > 0) await this.db.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`).catch(() => {});
    return gone.length;
  }
}
