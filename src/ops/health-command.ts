/**
 * `lastclick health`: asks a running server's /readyz; exit 0 ready, 1 not
 * (Docker's HEALTHCHECK contract; the image has no shell or curl).
 */
export async function health(url: string, timeoutMs = 3000): Promise<{ ok: boolean; line: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let reason = text.slice(0, 300);
    try { const j = JSON.parse(text) as { reason?: string; migration?: string }; reason = j.reason ?? j.migration ?? reason; } catch { /* not JSON: keep the text */ }
    return res.status === 200 ? { ok: true, line: `ready (${reason})` } : { ok: false, line: `not ready: ${res.status} ${reason}` };
  } catch (e) {
    return { ok: false, line: `not ready: ${url} did not answer (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Where this machine's server listens: HOST (0.0.0.0 / :: mean "here") and PORT. */
export function defaultHealthUrl(env: Record<string, string | undefined>): string {
  const host = !env.HOST || env.HOST === "0.0.0.0" ? "127.0.0.1" : env.HOST === "::" ? "[::1]" : env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST;
  const port = env.PORT && /^\d+$/.test(env.PORT) ? env.PORT : "8080";
  return `http://${host}:${port}/readyz`;
}
