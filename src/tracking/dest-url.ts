/**
 * Appends parameters to a destination URL without re-encoding what is
 * already there: the existing query is kept byte for byte (minus any old
 * value of a key we set), the fragment stays after the query.
 */
export function appendParams(destUrl: string, params: [string, string][]): string {
  if (params.length === 0) return destUrl;
  const hashAt = destUrl.indexOf("#");
  const fragment = hashAt >= 0 ? destUrl.slice(hashAt) : "";
  const beforeHash = hashAt >= 0 ? destUrl.slice(0, hashAt) : destUrl;
  const qAt = beforeHash.indexOf("?");
  const base = qAt >= 0 ? beforeHash.slice(0, qAt) : beforeHash;
  const query = qAt >= 0 ? beforeHash.slice(qAt + 1) : "";
  const ours = new Set(params.map(([k]) => k));
  const kept = query.split("&").filter((part) => {
    if (part === "") return false;
    const key = part.split("=", 1)[0]!;
    let decoded = key;
    try { decoded = decodeURIComponent(key.replace(/\+/g, " ")); } catch { /* keep undecodable keys */ }
    return !ours.has(decoded);
  });
  for (const [k, v] of params) kept.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return `${base}?${kept.join("&")}${fragment}`;
}
