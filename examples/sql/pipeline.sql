-- A pipeline across the three connectors, exactly once end to end:
--   datagen -> Kafka topic (streams) -> MaxCompute day partitions (odps), enriched by a lookup
--   join against a MaxCompute dimension table -> Iceberg table (lake).
--
-- Placeholders: ${bootstrap.servers} (Kafka), ${odps.endpoint}, ${odps.project},
-- ${odps.access-id}, ${odps.access-key} (MaxCompute), ${warehouse} (the lake's directory or URI).
-- The topic `pipeline-orders` must exist.

SET 'execution.checkpointing.interval' = '1s';

-- 1. Generated orders into a topic, exactly once.
CREATE TEMPORARY TABLE orders_gen (
  id       BIGINT,
  customer AS CONCAT('c', CAST(id % 4 AS STRING)),   -- customers c0..c3
  amount   DECIMAL(10, 2),
  ts       TIMESTAMP(3)
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '2000',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '2000',
  'fields.amount.min' = '1', 'fields.amount.max' = '500',
  'fields.ts.max-past' = '3 d'                        -- timestamps over the last three days
);

CREATE TEMPORARY TABLE orders_topic (
  id        BIGINT,
  customer  STRING,
  amount    DECIMAL(10, 2),
  ts        TIMESTAMP(3),
  proc_time AS PROCTIME()                             -- the lookup join's time attribute
) WITH (
  'connector' = 'streams',
  'topic' = 'pipeline-orders',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'format' = 'json',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'examples-pipeline',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',             -- read what is there, then end
  'properties.isolation.level' = 'read_committed'
);

INSERT INTO orders_topic SELECT id, customer, amount, ts FROM orders_gen;

-- 2. MaxCompute: a dimension table and a day-partitioned target, created through the catalog.
CREATE CATALOG mc WITH (
  'type' = 'odps',
  'endpoint' = '${odps.endpoint}',
  'project' = '${odps.project}',
  'access-id' = '${odps.access-id}',
  'access-key' = '${odps.access-key}'
);
CREATE TABLE mc.`default`.customers (id STRING, name STRING, tier STRING);
CREATE TABLE mc.`default`.orders_enriched (
  id BIGINT, customer STRING, name STRING, tier STRING, amount DECIMAL(10, 2), ds STRING
) PARTITIONED BY (ds);

INSERT INTO mc.`default`.customers VALUES
  ('c0', 'Ada', 'gold'), ('c1', 'Grace', 'silver'), ('c2', 'Edsger', 'silver'), ('c3', 'Barbara', 'bronze');

-- Topic -> MaxCompute, each order joined with its customer. The lookup source caches the whole
-- dimension table ('lookup.cache' = 'FULL', reloaded hourly by default).
INSERT INTO mc.`default`.orders_enriched
SELECT o.id, o.customer, c.name, c.tier, o.amount, DATE_FORMAT(o.ts, 'yyyyMMdd')
FROM orders_topic AS o
JOIN mc.`default`.customers FOR SYSTEM_TIME AS OF o.proc_time AS c
  ON o.customer = c.id;

-- 3. MaxCompute -> an Iceberg table of the lake catalog, partitioned the same way.
CREATE CATALOG lake WITH ('type' = 'lake', 'warehouse' = '${warehouse}');
CREATE DATABASE IF NOT EXISTS lake.shop;
CREATE TABLE lake.shop.orders_enriched (
  id BIGINT, customer STRING, name STRING, tier STRING, amount DECIMAL(10, 2), ds STRING
) PARTITIONED BY (ds);

INSERT INTO lake.shop.orders_enriched SELECT * FROM mc.`default`.orders_enriched;

SELECT tier, COUNT(*) AS orders, SUM(amount) AS amount
FROM lake.shop.orders_enriched
GROUP BY tier;
