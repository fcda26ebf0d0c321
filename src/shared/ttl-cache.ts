/**
 * A small read-through cache with a TTL, for rows read on every postback
 * (brand keys, programs). Writers call clear(); the TTL bounds staleness when
 * several instances share one database.
 */
export class TtlCache<V> {
  private map = new Map<string, { value: V; expires: number }>();
  constructor(private ttlMs: number, private maxEntries = 10_000) {}

  async get(key: string, now: number, load: () => Promise<V>): Promise<V> {
    const hit = this.map.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = await load();
    if (this.map.size >= this.maxEntries) this.map.clear();
    this.map.set(key, { value, expires: now + this.ttlMs });
    return value;
  }

  clear(): void { this.map.clear(); }
}
