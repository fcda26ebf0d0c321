/**
 * Socket peer addresses for runtimes whose server does not expose them through
 * Elysia's context (Deno.serve): the entry point records them here.
 */
const peers = new WeakMap<Request, string>();
export function rememberPeer(request: Request, address: string): void { peers.set(request, address); }
export function peerOf(request: Request): string | null { return peers.get(request) ?? null; }

/** What Elysia's context carries as `server` (Bun's Server, or null under app.handle / Deno). */
export type PeerServer = { requestIP(r: Request): { address: string } | null } | null;

/** The socket peer of a request: from the Bun server, else as recorded by the entry point. */
export function peerAddress(request: Request, server: PeerServer): string | null {
  return server?.requestIP(request)?.address ?? peerOf(request);
}
