package org.flinkconnectors.odps.source.reader;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The data columns a source reads, resolved against the table's schema: what the tunnel is asked
 * for ({@link #tunnelColumns()}, {@code null} meaning all) and what each record then holds, as told
 * to the deserializer ({@link #readColumnNames()}).
 *
 * <p>The tunnel cannot download zero columns, so an empty projection (for example {@code SELECT
 * COUNT(*)} or a query on partition columns only) downloads the first data column and tells the
 * deserializer that records hold no columns.
 */
@Internal
public final class ProjectedColumns {

    private final List<Column> tunnelColumns;
    private final List<String> readColumnNames;

    private ProjectedColumns(List<Column> tunnelColumns, List<String> readColumnNames) {
        this.tunnelColumns = tunnelColumns;
        this.readColumnNames = Collections.unmodifiableList(readColumnNames);
    }

    /**
     * @param projection the data columns to read, or empty for all
     * @param tablePath the table, for messages
     * @throws IllegalArgumentException naming the column if it is not a data column of the table
     */
    public static ProjectedColumns resolve(
            TableSchema schema, Optional<List<String>> projection, String tablePath) {
        List<Column> dataColumns = schema.getColumns();
        if (projection.isEmpty()) {
            List<String> names = new ArrayList<>();
            dataColumns.forEach(c -> names.add(c.getName()));
            return new ProjectedColumns(null, names);
        }
        List<Column> columns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : projection.get()) {
            Column column = find(dataColumns, name);
            if (column == null) {
                boolean isPartitionKey = find(schema.getPartitionColumns(), name) != null;
                throw new IllegalArgumentException(
                        String.format(
                                "Column '%s' %s of table %s; the source projects data columns"
                                        + " only (partition values come with each partition)."
                                        + " Data columns: %s.",
                                name,
                                isPartitionKey ? "is a partition column" : "is not a column",
                                tablePath,
                                names(dataColumns)));
            }
            if (!seen.add(column.getName().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        String.format(
                                "Column '%s' of table %s is projected twice.", name, tablePath));
            }
            columns.add(column);
            names.add(column.getName());
        }
        if (columns.isEmpty()) {
            if (dataColumns.isEmpty()) {
                throw new IllegalArgumentException("Table " + tablePath + " has no data columns.");
            }
            return new ProjectedColumns(List.of(dataColumns.get(0)), List.of());
        }
        return new ProjectedColumns(columns, names);
    }

    /** The columns to ask the tunnel for, or {@code null} for all data columns. */
    public List<Column> tunnelColumns() {
        return tunnelColumns;
    }

    /** The data columns each record holds, in record order, as the deserializer sees them. */
    public List<String> readColumnNames() {
        return readColumnNames;
    }

    private static Column find(List<Column> columns, String name) {
        for (Column column : columns) {
            if (column.getName().equalsIgnoreCase(name)) {
                return column;
            }
        }
        return null;
    }

    private static List<String> names(List<Column> columns) {
        List<String> names = new ArrayList<>();
        columns.forEach(c -> names.add(c.getName()));
        return names;
    }
}
