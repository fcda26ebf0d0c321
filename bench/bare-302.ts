/**
 * The baseline for bench/redirect.ts: a bare Bun.serve answering every request
 * with the same 302 our /go does (Location with a fresh click id, Set-Cookie,
 * cache-control) and nothing else: no routing, no lookup, no write.
 * Prints "bare listening on http://127.0.0.1:PORT".
 */
const DEST = process.env.BARE_DEST ?? "https://example.com/tents?src=affiliate";
const MAX_AGE = process.env.BARE_MAX_AGE ?? "2592000";

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch() {
    const id = crypto.randomUUID();
    return new Response(null, {
      status: 302,
      headers: {
        location: `${DEST}&lc_click=${id}#top`,
        "set-cookie": `lc_click=${id}; Max-Age=${MAX_AGE}; HttpOnly; Secure; SameSite=Lax; Path=/`,
        "cache-control": "private, no-store",
      },
    });
  },
});
console.log(`bare listening on http://127.0.0.1:${server.port}`);
process.once("SIGTERM", () => { void server.stop().then(() => process.exit(0)); });
