-- The `streams` connector (Kafka protocol): write a topic exactly once, then read it back.
--
-- ${bootstrap.servers}: your brokers, host:port[,host:port...]. The topic `orders` must exist
-- (the example runner creates it with 2 partitions).

-- Exactly-once sinks commit their Kafka transactions at checkpoints.
SET 'execution.checkpointing.interval' = '1s';

-- 1,000 generated orders; bounded, so the INSERT below ends.
CREATE TEMPORARY TABLE orders_gen (
  id       BIGINT,
  customer STRING,
  amount   DECIMAL(10, 2),
  ts       TIMESTAMP(3)
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '1000',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000',
  'fields.customer.length' = '6',
  'fields.amount.min' = '1', 'fields.amount.max' = '500'
);

CREATE TEMPORARY TABLE orders (
  id          BIGINT,
  customer    STRING,
  amount      DECIMAL(10, 2),
  ts          TIMESTAMP(3),
  `partition` INT METADATA VIRTUAL,             -- Kafka metadata, read-only
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'streams',                      -- was 'kafka': the option names are the same
  'topic' = 'orders',
  'properties.bootstrap.servers' = '${bootstrap.servers}',
  'key.format' = 'json',                        -- the record key: {"id": ...}, so Kafka
  'key.fields' = 'id',                          -- spreads the orders over the partitions
  'value.format' = 'json',                      -- the value: all columns
  -- writing: one Kafka transaction per checkpoint and writer
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'examples-streams',  -- unique per job
  -- reading: from the beginning to the end offsets found at start (a bounded read),
  -- committed transactions only
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'properties.isolation.level' = 'read_committed'
);

INSERT INTO orders SELECT * FROM orders_gen;

SELECT COUNT(*) AS orders, COUNT(DISTINCT id) AS ids, MIN(id) AS min_id, MAX(id) AS max_id
FROM orders;

SELECT `partition`, COUNT(*) AS orders FROM orders GROUP BY `partition`;
