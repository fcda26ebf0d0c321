/**
 * Socket peer addresses for runtimes whose server does not expose them through
 * Elysia's context (Deno.serve): the entry point records them here.
 */
const peers = new WeakMap<Request, string>();
export function rememberPeer(request: Request, address: string): void { peers.set(request, address); }
export function peerOf(request: Request): string | null { return peers.get(request) ?? null; }
