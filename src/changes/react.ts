import type { AppContext } from "../context";
import type { ConversionEvent } from "../shared/event-bus";
import type { FeedEvent } from "./feed";

const CONVERSION_EVENTS = new Set(["conversion.created", "conversion.approved", "conversion.reversed", "conversion.attributed"]);

/**
 * What another instance's change means here: which caches it makes stale, and
 * which conversion events local listeners (outbound postbacks) should hear.
 * Our own changes cleared our caches and were published at commit already.
 */
export function reactToChanges(ctx: AppContext): void {
  ctx.changes.react((e, fromOtherInstance) => {
    if (!fromOtherInstance) return;
    const entity = e.kind.slice(0, e.kind.indexOf("."));
    switch (entity) {
      case "program": ctx.links.invalidate(); ctx.caches.programs.clear(); ctx.caches.integrations.clear(); break;
      case "approval": case "publisher": case "vendor_link": ctx.links.invalidate(); break;
      case "brand_key": ctx.caches.brandKeys.clear(); break;
      case "integration": ctx.caches.integrations.clear(); break;
    }
    if (CONVERSION_EVENTS.has(e.kind)) ctx.events.publish(conversionEvent(e));
  });
}

export function conversionEvent(e: FeedEvent): ConversionEvent {
  const p = (e.payload ?? {}) as { is_test?: boolean };
  return {
    type: e.kind as ConversionEvent["type"], seq: e.seq, conversionId: e.entityId, programId: e.programId ?? "",
    brandId: e.brandId ?? "", publisherId: e.publisherId, isTest: p.is_test === true,
  };
}
