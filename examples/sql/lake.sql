-- The `lake` connector (Apache Iceberg and Delta Lake): an Iceberg table created through the
-- `lake` catalog, a Delta table declared with plain DDL and created on its first write, both
-- written exactly once, then read back.
--
-- ${warehouse}: a directory or URI for the tables (file:///..., hdfs://..., s3a://... with the
-- Hadoop file system on the class path).

-- Exactly-once: one table version per checkpoint.
SET 'execution.checkpointing.interval' = '1s';

CREATE TEMPORARY TABLE orders_gen (
  id       BIGINT,
  customer STRING,
  amount   DECIMAL(10, 2),
  ds       AS CONCAT('2026120', CAST(1 + id % 3 AS STRING))   -- 3 days, 200 rows each
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '600',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '600',
  'fields.customer.length' = '6',
  'fields.amount.min' = '1', 'fields.amount.max' = '500'
);

-- One catalog for both formats: Iceberg tables of a Hadoop catalog in the warehouse
-- ('catalog-type' = 'jdbc' or 'rest' for other Iceberg catalogs), and Delta tables.
CREATE CATALOG lake WITH (
  'type' = 'lake',
  'warehouse' = '${warehouse}'
);
CREATE DATABASE IF NOT EXISTS lake.shop;

-- An Iceberg table (the catalog's default format), partitioned by day.
CREATE TABLE lake.shop.orders (
  id       BIGINT,
  customer STRING,
  amount   DECIMAL(10, 2),
  ds       STRING
) PARTITIONED BY (ds);

INSERT INTO lake.shop.orders SELECT id, customer, amount, ds FROM orders_gen;

-- Without a catalog: a Delta table at a path, created by the first INSERT
-- ('sink.create-table' is on by default).
CREATE TEMPORARY TABLE orders_delta (
  id       BIGINT,
  customer STRING,
  amount   DECIMAL(10, 2),
  ds       STRING
) PARTITIONED BY (ds) WITH (
  'connector' = 'lake',
  'table-format' = 'delta',
  'path' = '${warehouse}/delta/orders'
);

-- Copy the Iceberg table into the Delta table (a bounded read of the latest snapshot).
INSERT INTO orders_delta SELECT * FROM lake.shop.orders;

-- Only the files of partition 20261202 are opened (partition and file-statistics pruning).
SELECT ds, COUNT(*) AS orders, SUM(amount) AS amount
FROM orders_delta
WHERE ds = '20261202'
GROUP BY ds;

SELECT COUNT(*) AS orders, COUNT(DISTINCT id) AS ids FROM lake.shop.orders;
