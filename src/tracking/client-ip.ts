import { isIPv4, isIPv6 } from "node:net";

/** A trusted-proxy list entry: exact address or IPv4 CIDR. */
export interface ProxyMatcher { (ip: string): boolean }

function v4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
}

function stripMapped(ip: string): string {
  return ip.toLowerCase().startsWith("::ffff:") && isIPv4(ip.slice(7)) ? ip.slice(7) : ip.toLowerCase();
}

export function proxyMatcher(entries: string[]): ProxyMatcher {
  const exact = new Set<string>();
  const ranges: [number, number][] = [];
  for (const e of entries) {
    const [addr, bitsText] = e.split("/");
    if (bitsText !== undefined && isIPv4(addr!)) {
      const bits = Number(bitsText);
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      ranges.push([(v4ToInt(addr!) & mask) >>> 0, mask]); // >>> 0: keep it unsigned like the test side
    } else {
      exact.add(stripMapped(addr!));
    }
  }
  return (ip) => {
    const norm = stripMapped(ip);
    if (exact.has(norm)) return true;
    if (!isIPv4(norm)) return false;
    const n = v4ToInt(norm);
    return ranges.some(([net, mask]) => ((n & mask) >>> 0) === net);
  };
}

/**
 * The client address: the socket peer, unless the peer is a trusted proxy, in
 * which case the right-most X-Forwarded-For hop that is not itself trusted.
 * X-Forwarded-For from anyone else is ignored (it is trivially forged).
 */
export function clientIp(peer: string | null, xff: string | null, trusted: ProxyMatcher): string | null {
  if (!peer) return null;
  let ip = stripMapped(peer);
  if (!trusted(ip) || !xff) return ip;
  const hops = xff.split(",").map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = stripMapped(hops[i]!);
    if (!isIPv4(hop) && !isIPv6(hop)) return ip;
    ip = hop;
    if (!trusted(hop)) return hop;
  }
  return ip;
}
