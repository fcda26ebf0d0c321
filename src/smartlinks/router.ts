import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { approvals, publishers, rubricVersions, smartLinks } from "../db/schema";
import { DAY_MS } from "../shared/clock";
import type { ResolvedLink } from "../tracking/link-resolver";
import type { SmartRoute } from "../tracking/record-click";
import type { Attributes } from "./attributes";
import { loadBoard, type Board } from "./board";
import { rank, type RankProgram, type Visitor } from "./rank";
import { toRubric, type Rubric } from "./rubric";

export interface SmartLinkRow { id: string; code: string; criteria: Attributes; publisherId: string | null; matchPage: boolean; createdAt: number }

/** A program a link may route to: what ranking reads, and the click it would make. */
export interface PoolProgram extends RankProgram { name: string; brandName: string; link: ResolvedLink }

/** One ranked choice for one kind of visitor, ready to click. */
export interface Choice { program: PoolProgram; score: number; fit: number; rank: number; route: SmartRoute }

const MAX_VISITOR_KINDS = 2_000;

/**
 * A smart link with its pool of programs, ranked once per kind of visitor
 * (country x device) and kept: a click only looks its list up.
 */
export class LinkEntry {
  private byVisitor = new Map<string, Choice[]>();
  constructor(readonly link: SmartLinkRow, readonly rubric: Rubric | null, readonly pool: PoolProgram[]) {}

  choose(visitor: Visitor): Choice[] {
    const key = `${visitor.country ?? ""}|${visitor.device ?? ""}`;
    let list = this.byVisitor.get(key);
    if (!list) {
      list = this.rankFor(visitor);
      if (this.byVisitor.size >= MAX_VISITOR_KINDS) this.byVisitor.clear();
      this.byVisitor.set(key, list);
    }
    return list;
  }

  private rankFor(visitor: Visitor): Choice[] {
    const rubric = this.rubric;
    if (!rubric) return [];
    return rank({ programs: this.pool, thresholdHundredths: rubric.thresholdHundredths, criteria: this.link.criteria, visitor })
      .map((r, i) => ({
        program: r.program, score: r.score, fit: r.fit, rank: i + 1,
        route: {
          smartLinkId: this.link.id, rubricVersion: rubric.version, score: r.score, country: visitor.country,
          criteria: JSON.stringify({ criteria: this.link.criteria, country: visitor.country, device: visitor.device, fit: r.fit, rank: i + 1 }),
        },
      }));
  }
}

type Cached<T> = { value: T; expires: number };

/**
 * Smart-link routing state, precomputed and kept in memory like the slug
 * map: the board (rubric, scores, programs) and each link's pool are loaded
 * once and dropped by invalidate() on every write that changes them (a TTL
 * bounds staleness across instances). Past rubric versions never change and
 * are kept for the commission path.
 */
export class SmartRouter {
  private board: Cached<Promise<Board>> | null = null;
  private links = new Map<string, Cached<LinkEntry | null>>();
  private versions = new Map<number, Rubric | null>();
  /** Bumped by invalidate(): a load that started before a write must not cache what it read. */
  private generation = 0;
  constructor(private db: Db, private ttlMs = 30_000, private maxLinks = 10_000) {}

  invalidate(): void { this.generation++; this.board = null; this.links.clear(); }

  /** The cached entry while fresh, else undefined (then ask byCode): lets the redirect skip a promise. */
  peek(code: string, now: number): LinkEntry | null | undefined {
    const hit = this.links.get(code);
    return hit && hit.expires > now ? hit.value : undefined;
  }

  async byCode(code: string, now: number): Promise<LinkEntry | null> {
    const hit = this.peek(code, now);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const [row] = await this.db.select().from(smartLinks).where(eq(smartLinks.code, code));
    const entry = row ? await this.entryFor({ ...row, criteria: JSON.parse(row.criteria) as Attributes }, now) : null;
    if (generation !== this.generation) return entry;
    if (this.links.size >= this.maxLinks) this.links.clear();
    this.links.set(code, { value: entry, expires: now + this.ttlMs });
    return entry;
  }

  /** An entry for a link (stored or about to be): its publisher's approved programs, or all programs crediting no one. */
  async entryFor(link: SmartLinkRow, now: number): Promise<LinkEntry> {
    const board = await this.boardAt(now);
    const approved = link.publisherId ? await this.approvedPrograms(link.publisherId) : null;
    const pool: PoolProgram[] = [];
    for (const p of board.programs) {
      const approvalId = approved ? approved.get(p.id) : "";
      if (approvalId === undefined) continue;
      pool.push({
        id: p.id, status: p.status, score: p.total, attributes: p.attributes, name: p.name, brandName: p.brandName,
        link: {
          approvalId, programId: p.id, publisherId: link.publisherId ?? "", destUrl: p.destUrl,
          cookieMaxAgeSeconds: (p.cookieWindowDays * DAY_MS) / 1000, passThroughParams: p.passThroughParams, inactive: null,
        },
      });
    }
    return new LinkEntry(link, board.rubric, pool);
  }

  /** A rubric version as published (immutable): the flat commission a smart-link click was made under. */
  async rubricVersion(version: number): Promise<Rubric | null> {
    if (this.versions.has(version)) return this.versions.get(version)!;
    const [row] = await this.db.select().from(rubricVersions).where(eq(rubricVersions.version, version));
    const rubric = row ? toRubric(row) : null;
    if (rubric) this.versions.set(version, rubric);
    return rubric;
  }

  private boardAt(now: number): Promise<Board> {
    if (!this.board || this.board.expires <= now) {
      const value = loadBoard({ db: this.db }, now);
      this.board = { value, expires: now + this.ttlMs };
      value.catch(() => { if (this.board?.value === value) this.board = null; });
    }
    return this.board.value;
  }

  /** Program id -> approval id, for the publisher's approved links (an inactive publisher has none). */
  private async approvedPrograms(publisherId: string): Promise<Map<string, string>> {
    const rows = await this.db.select({ programId: approvals.programId, approvalId: approvals.id })
      .from(approvals).innerJoin(publishers, eq(publishers.id, approvals.publisherId))
      .where(and(eq(approvals.publisherId, publisherId), eq(approvals.status, "approved"), eq(publishers.status, "active")));
    return new Map(rows.map((r) => [r.programId, r.approvalId]));
  }
}
