/**
 * Delivery policy for publisher postbacks, in one place.
 *
 * A delivery (one outbox row) is tried at once, then after each failure it
 * waits BACKOFF_MS[failures - 1]; after MAX_ATTEMPTS failed tries it is dead.
 * An endpoint whose last PAUSE_AFTER_FAILURES tries (across its deliveries)
 * all failed is paused: its pending deliveries wait, untried, until an admin
 * resumes it. Delivery is at least once: receivers dedupe on delivery_id.
 */
export const BACKOFF_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000, 21_600_000, 21_600_000] as const;
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1; // 8
export const PAUSE_AFTER_FAILURES = 10;
/** Each HTTP attempt is abandoned after this long. */
export const REQUEST_TIMEOUT_MS = 5_000;
/**
 * A claimed row is invisible to other dispatchers this long; longer than the
 * worst run (per endpoint at most PER_ENDPOINT_CLAIM tries in a row, each
 * capped at REQUEST_TIMEOUT_MS), so a live dispatcher never loses its claim.
 */
export const LEASE_MS = 300_000;
export const CLAIM_LIMIT = 100;
export const PER_ENDPOINT_CLAIM = 10;
/** Endpoints sent to in parallel in one run (each endpoint's rows go one by one). */
export const ENDPOINT_CONCURRENCY = 8;

/** When to try again after `failures` failed tries, or null when the delivery is dead. */
export function nextAttemptAt(now: number, failures: number): number | null {
  if (failures >= MAX_ATTEMPTS) return null;
  return now + BACKOFF_MS[Math.min(failures, BACKOFF_MS.length) - 1]!;
}
