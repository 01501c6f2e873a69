package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.odps.sink.OdpsRecordSerializationSchema;
import org.flinkconnectors.odps.source.OdpsRecordDeserializer;

import org.apache.flink.api.common.typeinfo.TypeInformation;

import com.aliyun.odps.data.Record;

import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;

/**
 * The rows of the ODPS benchmark: an orders table of six data columns partitioned by day (or wider,
 * with extra BIGINT, DOUBLE, STRING and INT columns in turn), the generator of its rows, and the
 * conversions between {@link Record}s and {@link Order}s that the raw SDK loops and the connector
 * jobs use alike, so that they differ only in how rows travel.
 */
final class BenchOrders {

    static final List<String> PARTITIONS =
            List.of("ds=20261118", "ds=20261119", "ds=20261120", "ds=20261121");

    /** The orders table's data columns. */
    static final int COLUMNS = 6;

    /**
     * The types of the extra columns {@code x7, x8, ...} of a wider variant, in turn: the same in
     * MaxCompute and Flink SQL.
     */
    private static final String[] EXTRA_TYPES = {"BIGINT", "DOUBLE", "STRING", "INT"};

    /**
     * The table in Flink SQL with {@code columns} data columns; DATETIME reads as TIMESTAMP_LTZ(3).
     */
    static String sqlColumns(int columns) {
        return "id BIGINT, name STRING, category STRING, amount DOUBLE, quantity INT,"
                + " ts TIMESTAMP_LTZ(3)"
                + extraColumns(columns)
                + ", ds STRING";
    }

    /** The table in MaxCompute SQL DDL, after the table name. */
    static String sqlDdlColumns(int columns) {
        return "(id BIGINT, name STRING, category STRING, amount DOUBLE, quantity INT, ts DATETIME"
                + extraColumns(columns)
                + ") PARTITIONED BY (ds STRING)";
    }

    private static String extraColumns(int columns) {
        StringBuilder extra = new StringBuilder();
        for (int c = COLUMNS; c < columns; c++) {
            extra.append(", x").append(c + 1).append(' ');
            extra.append(EXTRA_TYPES[(c - COLUMNS) % EXTRA_TYPES.length]);
        }
        return extra.toString();
    }

    private static final String[] NAMES = names("customer-", 1000);
    private static final String[] CATEGORIES = names("category-", 16);
    private static final long BASE_MILLIS = 1_795_000_000_000L;

    private BenchOrders() {}

    /** Row {@code i} goes to partition {@code i % 4}. */
    static String partitionOf(long i) {
        return PARTITIONS.get((int) (i % PARTITIONS.size()));
    }

    /** Writes the values of row {@code i} into a record of the table's data columns. */
    static void fill(Record record, long i) {
        record.setBigint(0, i);
        record.setString(1, NAMES[(int) (i % NAMES.length)]);
        record.setString(2, CATEGORIES[(int) (i % CATEGORIES.length)]);
        record.setDouble(3, (i % 100_000) / 100.0);
        record.set(4, (int) (i % 50));
        record.setDatetime(5, new Date(BASE_MILLIS + i * 1000));
        for (int c = COLUMNS; c < record.getColumnCount(); c++) {
            switch ((c - COLUMNS) % EXTRA_TYPES.length) {
                case 0:
                    record.setBigint(c, i * c);
                    break;
                case 1:
                    record.setDouble(c, i / (double) c);
                    break;
                case 2:
                    record.setString(c, NAMES[(int) ((i + c) % NAMES.length)]);
                    break;
                default:
                    record.set(c, (int) ((i + c) % 1000));
            }
        }
    }

    private static String[] names(String prefix, int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = prefix + i;
        }
        return names;
    }

    /** One order, as both readers produce it from a record. */
    public static final class Order {
        public long id;
        public String name;
        public String category;
        public double amount;
        public int quantity;
        public long tsMillis;
        public String partition;

        public Order() {}

        /** Reads every value of the record, so that neither reader leaves work undone. */
        static Order of(Record record, String partition) {
            Order order = new Order();
            order.id = record.getBigint(0);
            order.name = record.getString(1);
            order.category = record.getString(2);
            order.amount = record.getDouble(3);
            order.quantity = (Integer) record.get(4);
            order.tsMillis = ((ZonedDateTime) record.get(5)).toInstant().toEpochMilli();
            order.partition = partition;
            return order;
        }

        /** Folds the values into a number the raw loop keeps, so none of them is optimized away. */
        long checksum() {
            return id
                    + name.length()
                    + category.length()
                    + (long) amount
                    + quantity
                    + tsMillis
                    + partition.length();
        }
    }

    /** Our source's deserializer: the same conversion as the raw read loop. */
    static final class OrderDeserializer implements OdpsRecordDeserializer<Order> {
        @Override
        public Order deserialize(Record record, String partitionSpec) {
            return Order.of(record, partitionSpec);
        }

        @Override
        public TypeInformation<Order> getProducedType() {
            return TypeInformation.of(Order.class);
        }
    }

    /** Our sink's serializer: row {@code i} of the generator into its partition. */
    static final class RowSerializer implements OdpsRecordSerializationSchema<Long> {
        @Override
        public void serialize(Long element, Record target) {
            fill(target, element);
        }

        @Override
        public String partitionOf(Long element) {
            return BenchOrders.partitionOf(element);
        }
    }
}
