-- Report rollups (src/db/schema/report-rollups.ts): backfill from the base rows, then the
-- triggers that keep conversion_rollups equal to a GROUP BY over live conversions.
-- Clicks are added by the click writer in its own transaction (src/tracking/click-rows.ts).
-- Buckets: grain 1 = UTC hour, 2 = UTC day (bucket = created_at / width; a day is 24 hours).
-- The backfill sorts the base rows once (publisher x program per hour) and derives every
-- other dim and grain from those rows, so no sort is larger than the clicks table.
INSERT INTO click_rollups (dim, key1, grain, bucket, key2, clicks)
SELECT 'X', publisher_id, 1, CAST(created_at AS INTEGER) / 3600000, program_id, count(*) FROM clicks WHERE is_bot = 0 GROUP BY 2, 4, 5;
--> statement-breakpoint
INSERT INTO click_rollups (dim, key1, grain, bucket, key2, clicks)
SELECT 'G', '', 1, bucket, key2, sum(clicks) FROM click_rollups WHERE dim = 'X' AND grain = 1 GROUP BY 4, 5;
--> statement-breakpoint
INSERT INTO click_rollups (dim, key1, grain, bucket, key2, clicks)
SELECT 'P', '', 1, bucket, key1, sum(clicks) FROM click_rollups WHERE dim = 'X' AND grain = 1 GROUP BY 4, 5;
--> statement-breakpoint
INSERT INTO click_rollups (dim, key1, grain, bucket, key2, clicks)
SELECT dim, key1, 2, bucket / 24, key2, sum(clicks) FROM click_rollups WHERE grain = 1 GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO conversion_rollups (dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor)
SELECT 'X', coalesce(publisher_id, ''), 1, CAST(created_at AS INTEGER) / 3600000, program_id, currency, status, count(*),
  sum(program_value_minor), sum(commission_minor), sum(network_fee_minor), sum(publisher_payout_minor)
FROM conversions WHERE is_test = 0 GROUP BY 2, 4, 5, 6, 7;
--> statement-breakpoint
INSERT INTO conversion_rollups (dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor)
SELECT 'G', '', 1, bucket, key2, currency, status, sum(conversions), sum(sales_minor), sum(commission_minor), sum(fee_minor), sum(payout_minor)
FROM conversion_rollups WHERE dim = 'X' AND grain = 1 GROUP BY 4, 5, 6, 7;
--> statement-breakpoint
INSERT INTO conversion_rollups (dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor)
SELECT 'P', '', 1, bucket, key1, currency, status, sum(conversions), sum(sales_minor), sum(commission_minor), sum(fee_minor), sum(payout_minor)
FROM conversion_rollups WHERE dim = 'X' AND grain = 1 GROUP BY 4, 5, 6, 7;
--> statement-breakpoint
INSERT INTO conversion_rollups (dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor)
SELECT dim, key1, 2, bucket / 24, key2, currency, status, sum(conversions), sum(sales_minor), sum(commission_minor), sum(fee_minor), sum(payout_minor)
FROM conversion_rollups WHERE grain = 1 GROUP BY 1, 2, 4, 5, 6, 7;
--> statement-breakpoint
-- One upsert per fact and side: a change subtracts the old row's values and adds the new row's (the same unique key, so always an index seek).
CREATE TRIGGER conversion_rollups_insert AFTER INSERT ON conversions WHEN NEW.is_test = 0 BEGIN
  INSERT INTO conversion_rollups (dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor)
  SELECT d.dim, d.key1, g.grain, CAST(NEW.created_at AS INTEGER) / g.width, d.key2, NEW.currency, NEW.status, 1,
    NEW.program_value_minor, NEW.commission_minor, NEW.network_fee_minor, NEW.publisher_payout_minor
  FROM (SELECT 'G' AS dim, '' AS key1, NEW.program_id AS key2 UNION ALL SELECT 'P', '', coalesce(NEW.publisher_id, '')
      UNION ALL SELECT 'X', coalesce(NEW.publisher_id, ''), NEW.program_id) AS d
    CROSS JOIN (SELECT 1 AS grain, 3600000 AS width UNION ALL SELECT 2, 86400000) AS g
  WHERE true
  ON CONFLICT (dim, key1, grain, bucket, key2, currency, status) DO UPDATE SET conversions = conversions + excluded.conversions,
    sales_minor = sales_minor + excluded.sales_minor, commission_minor = commission_minor + excluded.commission_minor,
    fee_minor = fee_minor + excluded.fee_minor, payout_minor = payout_minor + excluded.payout_minor;
END;
--> statement-breakpoint
CREATE TRIGGER conversion_rollups_delete AFTER DELETE ON conversions WHEN OLD.is_test = 0 BEGIN
  INSERT INTO conversion_rollups (dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor)
  SELECT d.dim, d.key1, g.grain, CAST(OLD.created_at AS INTEGER) / g.width, d.key2, OLD.currency, OLD.status, -1,
    -OLD.program_value_minor, -OLD.commission_minor, -OLD.network_fee_minor, -OLD.publisher_payout_minor
  FROM (SELECT 'G' AS dim, '' AS key1, OLD.program_id AS key2 UNION ALL SELECT 'P', '', coalesce(OLD.publisher_id, '')
      UNION ALL SELECT 'X', coalesce(OLD.publisher_id, ''), OLD.program_id) AS d
    CROSS JOIN (SELECT 1 AS grain, 3600000 AS width UNION ALL SELECT 2, 86400000) AS g
  WHERE true
  ON CONFLICT (dim, key1, grain, bucket, key2, currency, status) DO UPDATE SET conversions = conversions + excluded.conversions,
    sales_minor = sales_minor + excluded.sales_minor, commission_minor = commission_minor + excluded.commission_minor,
    fee_minor = fee_minor + excluded.fee_minor, payout_minor = payout_minor + excluded.payout_minor;
END;
--> statement-breakpoint
CREATE TRIGGER conversion_rollups_update AFTER UPDATE ON conversions
WHEN OLD.status IS NOT NEW.status OR OLD.publisher_id IS NOT NEW.publisher_id OR OLD.program_id IS NOT NEW.program_id
  OR OLD.currency IS NOT NEW.currency OR OLD.is_test IS NOT NEW.is_test OR OLD.created_at IS NOT NEW.created_at
  OR OLD.program_value_minor IS NOT NEW.program_value_minor OR OLD.commission_minor IS NOT NEW.commission_minor
  OR OLD.network_fee_minor IS NOT NEW.network_fee_minor OR OLD.publisher_payout_minor IS NOT NEW.publisher_payout_minor
BEGIN
  INSERT INTO conversion_rollups (dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor)
  SELECT d.dim, d.key1, g.grain, CAST(OLD.created_at AS INTEGER) / g.width, d.key2, OLD.currency, OLD.status, -1,
    -OLD.program_value_minor, -OLD.commission_minor, -OLD.network_fee_minor, -OLD.publisher_payout_minor
  FROM (SELECT 'G' AS dim, '' AS key1, OLD.program_id AS key2 UNION ALL SELECT 'P', '', coalesce(OLD.publisher_id, '')
      UNION ALL SELECT 'X', coalesce(OLD.publisher_id, ''), OLD.program_id) AS d
    CROSS JOIN (SELECT 1 AS grain, 3600000 AS width UNION ALL SELECT 2, 86400000) AS g
  WHERE OLD.is_test = 0
  ON CONFLICT (dim, key1, grain, bucket, key2, currency, status) DO UPDATE SET conversions = conversions + excluded.conversions,
    sales_minor = sales_minor + excluded.sales_minor, commission_minor = commission_minor + excluded.commission_minor,
    fee_minor = fee_minor + excluded.fee_minor, payout_minor = payout_minor + excluded.payout_minor;
  INSERT INTO conversion_rollups (dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor)
  SELECT d.dim, d.key1, g.grain, CAST(NEW.created_at AS INTEGER) / g.width, d.key2, NEW.currency, NEW.status, 1,
    NEW.program_value_minor, NEW.commission_minor, NEW.network_fee_minor, NEW.publisher_payout_minor
  FROM (SELECT 'G' AS dim, '' AS key1, NEW.program_id AS key2 UNION ALL SELECT 'P', '', coalesce(NEW.publisher_id, '')
      UNION ALL SELECT 'X', coalesce(NEW.publisher_id, ''), NEW.program_id) AS d
    CROSS JOIN (SELECT 1 AS grain, 3600000 AS width UNION ALL SELECT 2, 86400000) AS g
  WHERE NEW.is_test = 0
  ON CONFLICT (dim, key1, grain, bucket, key2, currency, status) DO UPDATE SET conversions = conversions + excluded.conversions,
    sales_minor = sales_minor + excluded.sales_minor, commission_minor = commission_minor + excluded.commission_minor,
    fee_minor = fee_minor + excluded.fee_minor, payout_minor = payout_minor + excluded.payout_minor;
END;
