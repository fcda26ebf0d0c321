import type { Actor } from "../auth/authenticate";
import { readSession } from "../auth/sessions";
import type { ConversionEvent } from "../shared/event-bus";
import type { AppContext } from "../context";
import type { FeedEvent } from "../changes/feed";
import type { ConsoleRequest, ConsoleRoute } from "./http";
import { encodeFrame, SseStream } from "./sse";
import { conversionEvent } from "../changes/react";

/**
 * GET /live: one Server-Sent Events stream per open console page. Each
 * conversion event is passed through this connection's own filter (the
 * session's actor), so a page never learns of a conversion it may not show.
 * The event carries no figures, only what changed: the page re-fetches itself
 * (public/live.js) and the server renders what the actor may see.
 */

/** A bus event; the cross-instance change feed adds a monotonically increasing seq. */
export type LiveEvent = ConversionEvent & { seq?: number };

/** Who may hear of a conversion event: the same rule as conversionScope (test rows never reach a publisher). */
export function mayHear(actor: Actor, e: LiveEvent): boolean {
  switch (actor.type) {
    case "admin": case "system": case "integration": return true;
    case "brand": return e.brandId === actor.brandId;
    // A transition never changes the credited publisher, so "credited before or after" is this one field.
    case "publisher": return !e.isTest && e.publisherId === actor.publisherId;
  }
}

const streams = new Set<SseStream>();
/** Open live connections on this instance (a gauge for /metrics). */
export function liveConnections(): number {
  return streams.size;
}
/** Ends every live stream (shutdown: an open stream would hold the server open; browsers reconnect elsewhere). */
export function closeLiveStreams(): void {
  for (const s of [...streams]) s.close();
}

/** The streams of one appliance (ctx.live): closed on its stop, and no new ones after that. */
export function liveStreamsOf(): { closing: boolean; closeAll(): void; add(s: SseStream): void; delete(s: SseStream): void } {
  const mine = new Set<SseStream>();
  return {
    closing: false,
    closeAll() { this.closing = true; for (const s of [...mine]) s.close(); },
    add: (s) => { mine.add(s); },
    delete: (s) => { mine.delete(s); },
  };
}

const HEARTBEAT_MS = 15_000;
/** A revoked or expired session stops hearing events within this long. */
const SESSION_RECHECK_MS = 60_000;
/**
 * Events within this window go to a page as one write: at 200 events/s an
 * admin page gets at most 25 writes/s instead of 200 (and live.js waits 150 ms
 * after an event anyway before it re-fetches).
 */
const BATCH_MS = 40;

/** A conversion event as every connection gets it: who may hear of it, and its frame, built once per event (not once per page). */
interface Outgoing { event: LiveEvent; frame: Uint8Array }
const outgoing = new WeakMap<FeedEvent, Outgoing>();
function outgoingOf(e: FeedEvent): Outgoing {
  let o = outgoing.get(e);
  if (!o) {
    const event = conversionEvent(e);
    o = { event, frame: encodeFrame({ event: "conversion", id: e.seq, data: JSON.stringify({ type: event.type, conversion_id: event.conversionId }) }) };
    outgoing.set(e, o);
  }
  return o;
}
const resetFrame = (seq: number) => encodeFrame({ event: "conversion", id: seq, data: JSON.stringify({ type: "reset" }) });

/**
 * Where a connection's events come from: the cross-instance change feed
 * (src/changes/feed.ts), so a conversion recorded on any instance reaches
 * this page within a second. The feed filters by the actor's brand or
 * publisher on the way (mayHear checks again); `fromSeq` (the browser's
 * Last-Event-ID) replays what the page missed, or sends one reset when it is
 * too far behind — the client then re-fetches its live regions.
 */
export type LiveSource = (c: ConsoleRequest, listener: (e: Outgoing | { reset: number }) => void, fromSeq: number | undefined) => Promise<() => void>;
export const feedSource: LiveSource = (c, listener, fromSeq) => {
  const actor = c.auth!.actor;
  const kinds = ["conversion."];
  const filter = actor.type === "brand" ? { kinds, brandId: actor.brandId }
    : actor.type === "publisher" ? { kinds, publisherId: actor.publisherId } : { kinds };
  return c.ctx.changes.subscribe(filter, (e) => {
    if (e.kind === "feed.reset") listener({ reset: e.seq });
    else listener(outgoingOf(e));
  }, fromSeq);
};

/**
 * Every open page's session is read again SESSION_RECHECK_MS after the last
 * check, by one timer for all of them (in check order, so the first entry not
 * due ends the pass); a revoked, expired or disabled one closes its stream.
 */
const watched = new Map<SseStream, { ctx: AppContext; token: string; due: number }>();
let watchTimer: ReturnType<typeof setInterval> | null = null;
function watchSession(stream: SseStream, ctx: AppContext, token: string): void {
  watched.set(stream, { ctx, token, due: Date.now() + SESSION_RECHECK_MS });
  watchTimer ??= setInterval(() => recheckLiveSessions(Date.now()), 1000);
}
function unwatchSession(stream: SseStream): void {
  watched.delete(stream);
  if (watched.size === 0 && watchTimer) { clearInterval(watchTimer); watchTimer = null; }
}
/** One pass of the shared timer: reads the sessions due by `now` (exported for tests, which pass a later `now`). */
export function recheckLiveSessions(now: number): void {
  for (const [stream, w] of watched) {
    if (w.due > now) break;
    watched.delete(stream);
    watched.set(stream, { ...w, due: now + SESSION_RECHECK_MS }); // to the end: the map stays in due order
    readSession(w.ctx, w.token).then((s) => { if (!s) stream.close(); }, () => {});
  }
}

/** Last-Event-ID as a seq (a positive safe integer), else undefined. */
export function lastEventId(request: Request): number | undefined {
  const v = request.headers.get("last-event-id");
  if (!v || !/^\d{1,15}$/.test(v)) return undefined;
  return Number(v);
}

async function open(c: ConsoleRequest, source: LiveSource): Promise<Response> {
  const auth = c.auth!;
  const { ctx } = c;
  let unsubscribe = () => {};
  const stream = new SseStream({
    retryMs: 2000, heartbeatMs: HEARTBEAT_MS, batchMs: BATCH_MS, signal: c.request.signal,
    onClose: () => { unsubscribe(); unwatchSession(stream); streams.delete(stream); ctx.live?.delete(stream); },
  });
  if (stream.closed) return stream.response;
  streams.add(stream);
  ctx.live?.add(stream);
  const stop = await source(c, (e) => {
    if ("reset" in e) { stream.sendFrame(resetFrame(e.reset)); return; }
    if (mayHear(auth.actor, e.event)) stream.sendFrame(e.frame);
  }, lastEventId(c.request));
  if (stream.closed) { stop(); return stream.response; }
  unsubscribe = stop;
  watchSession(stream, ctx, auth.token);
  return stream.response;
}

export const liveRoutes: ConsoleRoute[] = [
  { method: "GET", path: "/live", access: "public", handler: (c) => {
    // An EventSource cannot follow a login redirect: answer 401 / 403 so it stops (and the page shows "offline").
    if (!c.auth) return new Response("Sign in to receive live updates\n", { status: 401, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
    if (c.auth.user.status === "pending") return new Response("Pending accounts receive no live updates\n", { status: 403, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
    if (c.ctx.live?.closing) return new Response("Shutting down\n", { status: 503, headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "2" } });
    return open(c, feedSource);
  } },
];
