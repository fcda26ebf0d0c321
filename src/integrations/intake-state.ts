import type { Config } from "../config";
import { FloodSampler } from "./inbox-flood";
import { IntakeLimiter } from "./intake-limit";
import { VerifiedMemory } from "./verified-memory";

/** In-memory state of the intake endpoints (per process): rate limits, flood sampling, the inbox size watch. */
export interface IntakeState {
  limiter: IntakeLimiter;
  /** Integrations that recently verified, per provider and source: what a limited source is checked against. */
  verified: VerifiedMemory;
  flood: FloodSampler;
  /** Inbox bytes written since the size bound was last checked. */
  bytesSinceCheck: number;
  sizeCheck: Promise<unknown> | null;
}

export function newIntakeState(config: Config): IntakeState {
  return {
    limiter: new IntakeLimiter({ perMinute: config.INTAKE_FAILED_AUTH_PER_MINUTE, burst: config.INTAKE_FAILED_AUTH_BURST }),
    verified: new VerifiedMemory({ checks: config.INTAKE_LIMITED_CHECKS }),
    flood: new FloodSampler(config.INBOX_SAMPLES_PER_MINUTE),
    bytesSinceCheck: 0,
    sizeCheck: null,
  };
}
