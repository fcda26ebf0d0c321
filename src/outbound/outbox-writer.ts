import { sql } from "drizzle-orm";
import type { ConversionHook } from "../conversions/conversion-hooks";
import type { OutboundEvent } from "./events";
import type { InValue } from "@libsql/client";
import type { SetForm } from "../db/set-writes";
import { stmt } from "../db/write-queue";

/** A random (v4) UUID made by SQLite, one per inserted row of an INSERT ... SELECT. */
const SQL_UUID_TEXT = `lower(printf('%s-%s-4%s-%s%s-%s', hex(randomblob(4)), hex(randomblob(2)),
  substr(hex(randomblob(2)), 2), substr('89ab', 1 + (abs(random()) % 4), 1), substr(hex(randomblob(2)), 2), hex(randomblob(6))))`;
const SQL_UUID = sql.raw(SQL_UUID_TEXT);

/**
 * Queues one delivery per active endpoint of the credited publisher that
 * subscribes to the event, in the same transaction as the conversion change
 * (guarded by it, so a duplicate postback or a lost race queues nothing).
 * The unique (endpoint, conversion, event) index makes a re-run a no-op.
 * Test conversions are queued too; their deliveries say test=1.
 * One statement, no extra round trip on the postback path.
 */
export const outboxWriter: ConversionHook = (_ctx, change) => {
  const publisherId = change.conversion.publisherId;
  if (!publisherId) return [];
  const event: OutboundEvent = `conversion.${change.type}`;
  const plain = stmt(sql`
    INSERT INTO outbox (id, endpoint_id, conversion_id, event, status, attempts, next_attempt_at, last_error, created_at, sent_at)
    SELECT ${SQL_UUID}, p.id, ${change.conversion.id}, ${event}, 'pending', 0, ${change.at}, NULL, ${change.at}, NULL
    FROM publisher_postbacks p
    WHERE p.publisher_id = ${publisherId} AND p.status = 'active'
      AND EXISTS (SELECT 1 FROM json_each(p.events) WHERE json_each.value = ${event})
      AND ${change.guard}
    ON CONFLICT (endpoint_id, conversion_id, event) DO NOTHING`) as { sql: string; args: InValue[] };
  if (!change.rowGuard) return [plain];
  // The same, for many conversions at once (set-writes.ts).
  const each: SetForm = {
    sql: `INSERT INTO outbox (id, endpoint_id, conversion_id, event, status, attempts, next_attempt_at, last_error, created_at, sent_at)
    SELECT ${SQL_UUID_TEXT}, p.id, j.value->>0, j.value->>1, 'pending', 0, j.value->>2, NULL, j.value->>2, NULL
    FROM json_each(?) AS j JOIN publisher_postbacks p ON p.publisher_id = j.value->>3
    WHERE p.status = 'active'
      AND EXISTS (SELECT 1 FROM json_each(p.events) AS e WHERE e.value = j.value->>1)
      AND ${change.rowGuard.condition("j.value->>4")}
    ON CONFLICT (endpoint_id, conversion_id, event) DO NOTHING RETURNING conversion_id`,
    row: [change.conversion.id, event, change.at, publisherId, change.rowGuard.value],
    key: change.conversion.id,
  };
  return [{ ...plain, each }];
};
