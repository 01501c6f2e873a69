package org.flinkconnectors.lake.testutils;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads what an Iceberg table holds with Iceberg's own generic reader, for sink assertions. */
public final class IcebergRows {

    private IcebergRows() {}

    /** The current snapshot's rows as {@code "<id>,<name>"}. */
    public static List<String> idsAndNames(Table table) {
        table.refresh();
        List<String> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(r -> rows.add(r.getField("id") + "," + r.getField("name")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** The snapshots of the main branch, oldest first. */
    public static List<Snapshot> snapshots(Table table) {
        table.refresh();
        List<Snapshot> snapshots = new ArrayList<>();
        table.snapshots().forEach(snapshots::add);
        return snapshots;
    }
}
