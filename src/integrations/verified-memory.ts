/**
 * Which integrations recently verified a webhook, per provider and per source
 * (in memory, per process, bounded). While a source is past its
 * failed-authentication budget, a webhook that names no integration is
 * checked only against a few integrations picked from here, so a forged
 * signature costs at most `checks` verifications while a platform sharing
 * that address with a misconfigured brand keeps delivering for the others.
 */
export interface VerifiedMemoryLimits {
  /** Integrations checked at most per limited request (at least 2). */
  checks: number;
  /** Sources remembered at most (least recently verified forgotten first). */
  maxSources?: number;
  /** Integrations remembered at most per provider. */
  maxPerProvider?: number;
}

interface Candidate { id: string; createdAt: number }

export class VerifiedMemory {
  /** provider -> integration ids, least recently verified first (Map insertion order). */
  private byProvider = new Map<string, Map<string, true>>();
  /** "provider source" -> integration ids, most recently verified first, at most `checks`. */
  private bySource = new Map<string, string[]>();
  /** provider -> position of the round robin over the integrations not picked by recency. */
  private cursor = new Map<string, number>();
  private readonly maxSources: number;
  private readonly maxPerProvider: number;
  readonly checks: number;

  constructor(limits: VerifiedMemoryLimits) {
    this.checks = Math.max(2, limits.checks);
    this.maxSources = limits.maxSources ?? 10_000;
    this.maxPerProvider = limits.maxPerProvider ?? 100_000;
  }

  /** An integration verified a request from this source on its own (no other integration fitted). */
  record(provider: string, source: string | null, id: string): void {
    let seen = this.byProvider.get(provider);
    if (!seen) this.byProvider.set(provider, (seen = new Map()));
    seen.delete(id);
    seen.set(id, true);
    if (seen.size > this.maxPerProvider) seen.delete(seen.keys().next().value!);
    if (source === null) return;
    const key = `${provider} ${source}`;
    const list = [id, ...(this.bySource.get(key) ?? []).filter((x) => x !== id)].slice(0, this.checks);
    this.bySource.delete(key);
    this.bySource.set(key, list);
    if (this.bySource.size > this.maxSources) this.bySource.delete(this.bySource.keys().next().value!);
  }

  /**
   * At most `checks` of `candidates`, in the order to check them: those that
   * verified from this source (most recent first), then those that verified
   * from any source (most recent first), leaving two places: one for the
   * newest integration never seen verifying (a brand that has just set up its
   * platform), one taken round robin over all the rest, so every integration
   * is eventually checked while the source stays limited.
   */
  pick<T extends Candidate>(provider: string, source: string | null, candidates: readonly T[]): T[] {
    if (candidates.length <= this.checks) return [...candidates];
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const picked = new Map<string, T>();
    const take = (id: string) => { const c = byId.get(id); if (c && !picked.has(id)) picked.set(id, c); };
    const recent = this.checks - 2;
    for (const id of source === null ? [] : this.bySource.get(`${provider} ${source}`) ?? []) if (picked.size < recent) take(id);
    const seen = this.byProvider.get(provider);
    if (seen && picked.size < recent) {
      const ids = [...seen.keys()];
      for (let i = ids.length - 1; i >= 0 && picked.size < recent; i--) take(ids[i]!);
    }
    let newest: T | undefined;
    for (const c of candidates) if (!seen?.has(c.id) && !picked.has(c.id) && (!newest || c.createdAt > newest.createdAt)) newest = c;
    if (newest) picked.set(newest.id, newest);
    const rest = candidates.filter((c) => !picked.has(c.id)).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    const free = Math.min(this.checks - picked.size, rest.length);
    const at = this.cursor.get(provider) ?? 0;
    for (let j = 0; j < free; j++) { const c = rest[(at + j) % rest.length]!; picked.set(c.id, c); }
    this.cursor.set(provider, (at + free) % Math.max(1, rest.length));
    return [...picked.values()];
  }
}
