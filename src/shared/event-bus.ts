/** In-process pub/sub for after-commit side effects (live pages, outbound calls). */
export interface ConversionEvent {
  /** `attributed`: a conversion stored unattributed was credited once its click reached the database. */
  type: "conversion.created" | "conversion.approved" | "conversion.reversed" | "conversion.attributed";
  /** The change-feed seq, on events republished from another instance (live pages use ChangeFeed.subscribe). */
  seq?: number;
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
