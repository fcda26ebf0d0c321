-- Report rollups (src/db/schema/report-rollups.ts): backfill from the base rows, then the
-- triggers that keep conversion_rollups equal to a GROUP BY over live conversions.
-- Clicks are added by the click writer in its own transaction (src/tracking/click-rows.ts).
-- Buckets: grain 0 = UTC quarter hour, 1 = hour, 2 = day (bucket = created_at / width).
INSERT INTO click_rollups (dim, key1, grain, bucket, key2, clicks)
SELECT d.dim, CASE d.dim WHEN 'X' THEN q.publisher_id ELSE '' END, g.grain, (q.q * 900000) / g.width,
  CASE d.dim WHEN 'P' THEN q.publisher_id ELSE q.program_id END, sum(q.n)
FROM (SELECT program_id, publisher_id, CAST(created_at AS INTEGER) / 900000 AS q, count(*) AS n FROM clicks WHERE is_bot = 0 GROUP BY 1, 2, 3) AS q
  CROSS JOIN (SELECT 'G' AS dim UNION ALL SELECT 'P' UNION ALL SELECT 'X') AS d
  CROSS JOIN (SELECT 0 AS grain, 900000 AS width UNION ALL SELECT 1, 3600000 UNION ALL SELECT 2, 86400000) AS g
WHERE true GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO conversion_rollups (dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor)
SELECT d.dim, CASE d.dim WHEN 'X' THEN q.publisher_id ELSE '' END, g.grain, (q.q * 900000) / g.width,
  CASE d.dim WHEN 'P' THEN q.publisher_id ELSE q.program_id END, q.currency, q.status, sum(q.n), sum(q.sales), sum(q.commission), sum(q.fee), sum(q.payout)
FROM (SELECT program_id, coalesce(publisher_id, '') AS publisher_id, CAST(created_at AS INTEGER) / 900000 AS q, currency, status, count(*) AS n,
    sum(program_value_minor) AS sales, sum(commission_minor) AS commission, sum(network_fee_minor) AS fee, sum(publisher_payout_minor) AS payout
  FROM conversions WHERE is_test = 0 GROUP BY 1, 2, 3, 4, 5) AS q
  CROSS JOIN (SELECT 'G' AS dim UNION ALL SELECT 'P' UNION ALL SELECT 'X') AS d
  CROSS JOIN (SELECT 0 AS grain, 900000 AS width UNION ALL SELECT 1, 3600000 UNION ALL SELECT 2, 86400000) AS g
WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
-- One upsert per fact and side: a change subtracts the old row's values and adds the new row's (the same unique key, so always an index seek).
CREATE TRIGGER conversion_rollups_insert AFTER INSERT ON conversions WHEN NEW.is_test = 0 BEGIN
  INSERT INTO conversion_rollups (dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor)
  SELECT d.dim, d.key1, g.grain, CAST(NEW.created_at AS INTEGER) / g.width, d.key2, NEW.currency, NEW.status, 1,
    NEW.program_value_minor, NEW.commission_minor, NEW.network_fee_minor, NEW.publisher_payout_minor
  FROM (SELECT 'G' AS dim, '' AS key1, NEW.program_id AS key2 UNION ALL SELECT 'P', '', coalesce(NEW.publisher_id, '')
      UNION ALL SELECT 'X', coalesce(NEW.publisher_id, ''), NEW.program_id) AS d
    CROSS JOIN (SELECT 0 AS grain, 900000 AS width UNION ALL SELECT 1, 3600000 UNION ALL SELECT 2, 86400000) AS g
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
    CROSS JOIN (SELECT 0 AS grain, 900000 AS width UNION ALL SELECT 1, 3600000 UNION ALL SELECT 2, 86400000) AS g
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
    CROSS JOIN (SELECT 0 AS grain, 900000 AS width UNION ALL SELECT 1, 3600000 UNION ALL SELECT 2, 86400000) AS g
  WHERE OLD.is_test = 0
  ON CONFLICT (dim, key1, grain, bucket, key2, currency, status) DO UPDATE SET conversions = conversions + excluded.conversions,
    sales_minor = sales_minor + excluded.sales_minor, commission_minor = commission_minor + excluded.commission_minor,
    fee_minor = fee_minor + excluded.fee_minor, payout_minor = payout_minor + excluded.payout_minor;
  INSERT INTO conversion_rollups (dim, key1, grain, bucket, key2, currency, status, conversions, sales_minor, commission_minor, fee_minor, payout_minor)
  SELECT d.dim, d.key1, g.grain, CAST(NEW.created_at AS INTEGER) / g.width, d.key2, NEW.currency, NEW.status, 1,
    NEW.program_value_minor, NEW.commission_minor, NEW.network_fee_minor, NEW.publisher_payout_minor
  FROM (SELECT 'G' AS dim, '' AS key1, NEW.program_id AS key2 UNION ALL SELECT 'P', '', coalesce(NEW.publisher_id, '')
      UNION ALL SELECT 'X', coalesce(NEW.publisher_id, ''), NEW.program_id) AS d
    CROSS JOIN (SELECT 0 AS grain, 900000 AS width UNION ALL SELECT 1, 3600000 UNION ALL SELECT 2, 86400000) AS g
  WHERE NEW.is_test = 0
  ON CONFLICT (dim, key1, grain, bucket, key2, currency, status) DO UPDATE SET conversions = conversions + excluded.conversions,
    sales_minor = sales_minor + excluded.sales_minor, commission_minor = commission_minor + excluded.commission_minor,
    fee_minor = fee_minor + excluded.fee_minor, payout_minor = payout_minor + excluded.payout_minor;
END;
