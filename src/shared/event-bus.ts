/** In-process pub/sub for after-commit side effects (live pages, outbound calls). */
export interface ConversionEvent {
  type: "conversion.created" | "conversion.approved" | "conversion.reversed";
  conversionId: string;
  programId: string;
  brandId: string;
  publisherId: string | null;
  isTest: boolean;
}

type Listener = (e: ConversionEvent) => void;

export class EventBus {
  private listeners = new Set<Listener>();
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  publish(e: ConversionEvent) {
    for (const fn of this.listeners) {
      try { fn(e); } catch { /* a listener's failure never affects the caller */ }
    }
  }
}
