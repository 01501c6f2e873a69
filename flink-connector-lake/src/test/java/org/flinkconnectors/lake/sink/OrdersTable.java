package org.flinkconnectors.lake.sink;

import org.flinkconnectors.lake.delta.DeltaKernelReads;
import org.flinkconnectors.lake.testutils.DeltaTestTables;
import org.flinkconnectors.lake.testutils.IcebergRows;
import org.flinkconnectors.lake.testutils.IcebergTestTables;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An {@code orders (id, name)} table of either format in a warehouse directory, for the sink tests
 * that run the same case on Iceberg and Delta: created empty, declared as a {@code 'connector' =
 * 'lake'} table written by two sink subtasks, and read back by the format's own reader (Iceberg's
 * generic reader, Delta Kernel's scan) as {@code "<id>,<name>"} rows.
 */
final class OrdersTable {

    private final String format;
    private final Path warehouse;
    private final String location;

    /** Creates the empty table; {@code format} is {@code iceberg} or {@code delta}. */
    OrdersTable(String format, Path warehouse) {
        this.format = format;
        this.warehouse = warehouse;
        if (isIceberg()) {
            new IcebergTestTables(warehouse).create("orders");
            this.location = warehouse.toString();
        } else {
            this.location = new DeltaTestTables(warehouse).create("orders", Map.of());
        }
    }

    boolean isIceberg() {
        return format.equals("iceberg");
    }

    /** {@code CREATE TABLE orders ...} of the table, written by two sink subtasks. */
    String ddl() {
        String table =
                isIceberg()
                        ? "'table-format' = 'iceberg', 'warehouse' = '"
                                + location
                                + "', 'database' = 'db', 'table' = 'orders'"
                        : "'table-format' = 'delta', 'path' = '" + location + "'";
        return "CREATE TABLE orders (id BIGINT NOT NULL, name STRING) WITH ('connector' = 'lake',"
                + " 'sink.parallelism' = '2', "
                + table
                + ")";
    }

    /** Every row as the format's own reader sees it. */
    List<String> read() throws Exception {
        if (isIceberg()) {
            return IcebergRows.idsAndNames(new IcebergTestTables(warehouse).load("orders"));
        }
        return DeltaKernelReads.rows(new DeltaTestTables(warehouse).engine(), location);
    }
}
