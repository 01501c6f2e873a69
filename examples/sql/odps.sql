-- The `odps` connector (MaxCompute): a catalog creates a day-partitioned table, INSERTs write
-- dynamic and static partitions exactly once, a query reads only the partitions it needs.
--
-- ${odps.endpoint}: the service endpoint, e.g. http://service.cn-hangzhou.maxcompute.aliyun.com/api
-- ${odps.project}:  your project. Leave out 'access-id' and 'access-key' to take the credentials
-- from ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET instead.

-- Exactly-once: rows are committed to MaxCompute when a checkpoint completes.
SET 'execution.checkpointing.interval' = '1s';

CREATE CATALOG mc WITH (
  'type' = 'odps',
  'endpoint' = '${odps.endpoint}',
  'project' = '${odps.project}',
  'access-id' = '${odps.access-id}',
  'access-key' = '${odps.access-key}'
);

-- Creates the table in MaxCompute (partition columns last).
CREATE TABLE mc.`default`.sales (
  id       BIGINT,
  customer STRING,
  amount   DECIMAL(10, 2),
  ds       STRING
) PARTITIONED BY (ds);

CREATE TEMPORARY TABLE sales_gen (
  id       BIGINT,
  customer STRING,
  amount   DECIMAL(10, 2)
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '900',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '900',
  'fields.customer.length' = '6',
  'fields.amount.min' = '1', 'fields.amount.max' = '500'
);

-- Dynamic partitions: each row's ds picks its partition (created if missing):
-- 300 rows each into ds=20261201, 20261202 and 20261203.
INSERT INTO mc.`default`.sales
SELECT id, customer, amount, CONCAT('2026120', CAST(1 + id % 3 AS STRING)) FROM sales_gen;

-- A static partition: 100 more rows into ds=20261204.
INSERT INTO mc.`default`.sales PARTITION (ds = '20261204')
SELECT id + 900, customer, amount FROM sales_gen WHERE id <= 100;

-- The filter on ds is pushed down: only partitions 20261203 and 20261204 are downloaded,
-- and only the columns the query uses.
SELECT ds, COUNT(*) AS orders, SUM(amount) AS amount
FROM mc.`default`.sales
WHERE ds >= '20261203'
GROUP BY ds;

SHOW PARTITIONS mc.`default`.sales;
